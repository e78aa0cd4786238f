import { useState } from 'react';
import { readDecimal } from './decimal';
import { placeError } from './field-errors';

const capitalise = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

/**
 * A form's errors, field by field: the API's refusal (a mutation's `error`) placed on the field it names,
 * and the form's own checks made before sending (`set`). Changing a field clears its error (`clear`),
 * so an error never stays on a field that was fixed. `form` is what belongs to no field.
 */
export function useFieldErrors(error: unknown, fields: readonly string[]) {
  // The server's error is the mutation's; the fields cleared since are remembered for that error only,
  // so the next refusal (a new error object) shows again even on a field cleared before.
  const [cleared, setCleared] = useState<{ of: unknown; fields: ReadonlySet<string> }>({ of: null, fields: new Set() });
  const [own, setOwn] = useState<Record<string, string>>({});
  const placed = placeError(error, fields);
  const clearedNow = cleared.of === error ? cleared.fields : new Set<string>();
  const serverOn = (field: string) => (placed?.field === field && !clearedNow.has(field) ? placed.message : undefined);
  return {
    /** The error shown on this field, if any. */
    of: (field: string): string | undefined => own[field] ?? serverOn(field),
    /** The refusal that is about no field of the form (a conflict, a guard, a field the form does not show). */
    form: placed && placed.field === null ? placed.message : null,
    /** Whether any field or the form has an error now. */
    any: Object.keys(own).length > 0 || (placed !== null && (placed.field === null || !clearedNow.has(placed.field))),
    /** The field changed: its error goes. */
    clear(field: string) {
      if (field in own)
        setOwn((prev) => {
          const next = { ...prev };
          delete next[field];
          return next;
        });
      if (serverOn(field)) setCleared({ of: error, fields: new Set([...clearedNow, field]) });
    },
    /** Shows the form's own finding on a field (checked before sending). */
    set: (field: string, message: string) => setOwn((prev) => ({ ...prev, [field]: capitalise(message) })),
    /**
     * Reads a decimal field as typed ("12,50" → "12.50"); when it cannot be read for sure, says why on
     * the field and answers null, and the form does not send.
     */
    decimal(field: string, typed: string): string | null {
      const reading = readDecimal(typed);
      if (reading.ok) return reading.value;
      setOwn((prev) => ({ ...prev, [field]: capitalise(reading.reason) }));
      return null;
    },
  };
}

/** What useFieldErrors answers: handed to ApiForm and read by the fields. */
export type FieldErrors = ReturnType<typeof useFieldErrors>;
