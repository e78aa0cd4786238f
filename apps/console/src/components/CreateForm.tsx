import { Button, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { ErrorNote } from './states';

/** A create mutation that refreshes the list it adds to before handing the new item on. */
export function useCreate<TBody, TResult>(create: (body: TBody) => Promise<TResult>, queryKey: readonly unknown[], onDone: (created: TResult) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: create,
    onSuccess: async (created: TResult) => {
      await queryClient.invalidateQueries({ queryKey });
      onDone(created);
    },
  });
}

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
