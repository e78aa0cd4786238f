import fc from 'fast-check';
import { csvField } from './csv-field';

/** A piece of a cell a spreadsheet would run as a formula once it splits the cell on some separator character. */
const startsFormula = (piece: string) => /^[\s"]*[=+\-@]/.test(piece);

/** What a spreadsheet that honours the quotes reads from one field. */
const unquoted = (field: string) => (field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field);

describe('csvField', () => {
  it('quotes a field that holds a quote, a line break or a separator character', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('a\tb')).toBe('"a\tb"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('neutralises a formula at the start of the cell and keeps plain signed numbers', () => {
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-1.5')).toBe('-1.5');
    expect(csvField('\tx')).toBe(`"'\tx"`);
  });

  it('neutralises a formula after any separator character, not only at the start', () => {
    expect(csvField('x;=1+1;y')).toBe(`"x;'=1+1;y"`);
    expect(csvField('x\t=1+1')).toBe(`"x\t'=1+1"`);
    expect(csvField('x, @SUM(A1)')).toBe(`"x, '@SUM(A1)"`);
    expect(csvField('x|-2+3')).toBe(`"x|'-2+3"`);
    expect(csvField('x;-2')).toBe(`"x;'-2"`);
  });

  it('leaves no piece of a cell that starts a formula, whatever separator character a spreadsheet splits it on', () => {
    const text = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', ';', ',', '\t', '|', ' ', '"', 'a', '1', '.', '\r', '\n'), maxLength: 24 });
    fc.assert(
      fc.property(text, (value) => {
        const cell = unquoted(csvField(value));
        if (/^[+-]?\d+(\.\d+)?$/.test(cell)) return;
        for (const piece of cell.split(/[,;\t|\r\n]/)) expect([value, piece, startsFormula(piece)]).toEqual([value, piece, false]);
      }),
      { numRuns: 1000 },
    );
  });
});
