import { Alert, PasswordInput, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { PageHeader } from '../../components/PageHeader';
import { useChangePassword } from './queries';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/**
 * The signed-in user's own password: the current one is required (a wrong one is refused on its field,
 * and counts against the sign-in limits). Every other browser signed in as this user is signed out.
 */
export default function ChangePassword() {
  const user = useUser();
  const [done, setDone] = useState(false);
  const [repeat, setRepeat] = useState('');
  const change = useChangePassword(() => setDone(true));
  const errors = useFieldErrors(change.error, FIELDS);
  function submit(data: FormData) {
    const newPassword = String(data.get('newPassword') ?? '');
    if (newPassword !== repeat) {
      errors.set('newPassword', 'the two new passwords differ');
      return;
    }
    setDone(false);
    change.mutate({ currentPassword: String(data.get('currentPassword') ?? ''), newPassword });
  }
  return (
    <Stack maw={520}>
      <PageHeader title="Password" />
      <Text size="sm" c="dimmed">
        Change the password of {user.email}. Every other browser signed in as you is signed out; this one stays signed in.
      </Text>
      {done && (
        <Alert color="teal" title="Password changed" role="status">
          Other sessions were ended. Use the new password from now on.
        </Alert>
      )}
      <ApiForm onSubmit={submit} errors={errors} pending={change.isPending} submitLabel="Change password">
        <PasswordInput label="Current password" name="currentPassword" autoComplete="current-password" required error={errors.of('currentPassword')} />
        <PasswordInput
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          description="At least 12 characters"
          required
          error={errors.of('newPassword')}
        />
        <PasswordInput label="New password again" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} />
      </ApiForm>
    </Stack>
  );
}
