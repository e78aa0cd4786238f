import { Button, Group, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorNote } from '../states';
import type { FieldErrors } from './useFieldErrors';

/**
 * A form that sends to the API: its fields, the refusal that is about no field (a field's own error shows
 * on that field), and the submit button. Typing in a named field clears that field's error; fields without
 * a native `name` (selects, switches) call `errors.clear` in their own onChange.
 */
export function ApiForm({
  onSubmit,
  errors,
  pending,
  submitLabel,
  actions,
  children,
}: {
  onSubmit: (data: FormData) => void;
  errors: FieldErrors;
  pending: boolean;
  submitLabel: string;
  /** More buttons beside the submit one (Cancel, Reload). */
  actions?: ReactNode;
  children: ReactNode;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget));
  }
  function changed(event: FormEvent<HTMLFormElement>) {
    const name = (event.target as Partial<HTMLInputElement>).name;
    if (name) errors.clear(name);
  }
  return (
    <form onSubmit={submit} onInput={changed}>
      <Stack>
        {children}
        <ErrorNote error={errors.form} />
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
          {actions}
        </Group>
      </Stack>
    </form>
  );
}
