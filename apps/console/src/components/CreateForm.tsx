import { Button, Stack } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { ErrorNote } from './states';

/** A create form: its fields, the server's error if any, and the submit button. The handler gets the form's data. */
export function CreateForm({
  onSubmit,
  error,
  pending,
  submitLabel,
  children,
}: {
  onSubmit: (data: FormData) => void;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(new FormData(event.currentTarget));
  }
  return (
    <form onSubmit={submit}>
      <Stack>
        {children}
        <ErrorNote error={error} />
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
