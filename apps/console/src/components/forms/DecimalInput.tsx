import { TextInput, type TextInputProps } from '@mantine/core';
import { readDecimal } from './decimal';

/**
 * A text field for an amount that takes a decimal comma as well as a point: "12,50" becomes "12.50" when
 * the field is left. What cannot be read for sure ("1.234,5") stays as typed, and the form's check
 * (`errors.decimal`) says why on submit. A text field, not a number field: a number field would drop the comma.
 */
export function DecimalInput({
  value,
  onChange,
  ...props
}: Omit<TextInputProps, 'value' | 'onChange' | 'inputMode'> & { value: string; onChange: (value: string) => void }) {
  return (
    <TextInput
      {...props}
      inputMode="decimal"
      autoComplete="off"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      onBlur={(e) => {
        const reading = readDecimal(value);
        if (reading.ok && reading.value !== value) onChange(reading.value);
        props.onBlur?.(e);
      }}
    />
  );
}
