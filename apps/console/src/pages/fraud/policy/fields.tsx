import { NumberInput, Textarea } from '@mantine/core';
import { useRef, useState } from 'react';

/**
 * The server's error for a field (`flagScore`) or for an item of it (`blockedIps.3` → "Entry 4: …").
 * `items` are the list as sent, to name the entry it was about.
 */
export function errorFor(errors: Readonly<Record<string, string>>, field: string, items?: readonly unknown[]): string | undefined {
  if (errors[field]) return errors[field];
  const below = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  if (!below) return undefined;
  const index = Number(below.slice(field.length + 1).split('.')[0]);
  const item = Number.isInteger(index) && items ? items[index] : undefined;
  return `Entry ${index + 1}${item === undefined ? '' : ` (${String(item)})`}: ${errors[below]}`;
}

/** The non-empty, trimmed lines of a textarea: one list entry each. */
export const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * A list edited as a textarea, one entry per line. It keeps its own text while typing (an empty line
 * being started is not dropped) and follows the list when it changes from outside (reset to defaults).
 */
export function LinesField({
  label,
  description,
  lines,
  onLines,
  error,
  placeholder,
}: {
  label: string;
  description: string;
  lines: readonly string[];
  onLines: (lines: string[]) => void;
  error?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(lines.join('\n'));
  // Only an outside change of the list (reset to defaults) replaces the text: a change that typing
  // made (parsed back by the section, `AS64500` → `64500`) leaves the text as typed.
  const joined = lines.join('\n');
  const [seen, setSeen] = useState(joined);
  const typed = useRef(false);
  if (seen !== joined) {
    setSeen(joined);
    if (!typed.current) setText(joined);
    typed.current = false;
  }
  return (
    <Textarea
      label={label}
      description={description}
      value={text}
      placeholder={placeholder}
      error={error}
      autosize
      minRows={2}
      maxRows={10}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      onChange={(e) => {
        const next = linesOf(e.currentTarget.value);
        setText(e.currentTarget.value);
        typed.current = next.join('\n') !== joined;
        onLines(next);
      }}
    />
  );
}

/** A whole number field; emptied, it is `null` when the field allows that (an open bound), else left as it was. */
export function WholeNumberField({
  label,
  description,
  value,
  onValue,
  error,
  min,
  max,
  nullable = false,
}: {
  label: string;
  description?: string;
  value: number | null | undefined;
  onValue: (value: number | null) => void;
  error?: string;
  min?: number;
  max?: number;
  nullable?: boolean;
}) {
  return (
    <NumberInput
      label={label}
      description={description}
      value={value ?? ''}
      error={error}
      min={min}
      max={max}
      allowDecimal={false}
      placeholder={nullable ? 'off' : undefined}
      onChange={(v) => {
        if (v === '' || v === undefined) {
          if (nullable) onValue(null);
          return;
        }
        onValue(typeof v === 'number' ? v : Number(v));
      }}
    />
  );
}
