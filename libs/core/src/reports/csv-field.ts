/**
 * Characters a spreadsheet may split a CSV line on. Which one it uses depends on the locale
 * (`;` where `,` is the decimal mark) and on the import dialog, so a cell is made safe for
 * all of them, not only for the `,` we write.
 */
const SEPARATOR = /[,;\t|\r\n]/;

/**
 * A part of the cell that starts with a character a spreadsheet reads as the start of a formula,
 * after optional spaces and quotes (a reader that splits a line naively takes `"=1"` as a quoted `=1`).
 */
const FORMULA_START = /^([\s"]*)([=+\-@])/;

/** A cell that is a plain signed number such as `-1.5` is data, not a formula, and stays as it is. */
const SIGNED_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** Splits a cell into its parts, keeping the separators. */
const SPLIT = new RegExp(`(${SEPARATOR.source})`);

function neutralisePart(part: string): string {
  return part.replace(FORMULA_START, "$1'$2");
}

/**
 * One CSV field. A formula trigger (`=`, `+`, `-`, `@`) at the start of the cell, or at the start of
 * any part after a separator character, gets a `'` in front, so no spreadsheet runs it as a formula
 * whatever separator it splits on (`x;=1+1;y` becomes `x;'=1+1;y`). A cell that starts with a tab or
 * carriage return gets one too (OWASP's list); a cell that is only a signed number (`-1.5`) is left alone. The field is quoted when it holds a quote, a line
 * break or any separator character.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && !SIGNED_NUMBER.test(text)) {
    text = text.split(SPLIT).map(neutralisePart).join('');
    if (/^[\t\r]/.test(text)) text = `'${text}`;
  }
  return text.includes('"') || SEPARATOR.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
