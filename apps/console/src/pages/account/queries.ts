import { useMutation, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../api/client';
import type { ReadOf } from '../../api/responses';
import { useInvalidate } from '../../lib/mutations';

/** One of the signed-in user's own sessions. */
export type OwnSession = ReadOf<'/api/auth/sessions'>[number];

export const accountKeys = { sessions: ['own-sessions'] as const };

/** The signed-in user's own sessions, newest first. */
export const useOwnSessions = () => useQuery({ queryKey: accountKeys.sessions, queryFn: () => api.get<OwnSession[]>('/api/auth/sessions') });

/** Ends one of the user's other sessions. */
export function useEndSession() {
  const sessionsChanged = useInvalidate(accountKeys.sessions);
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/auth/sessions/${encodeURIComponent(id)}`), onSettled: sessionsChanged });
}

/** Ends every session of the user, this one included; `onSuccess` takes the console back to the sign-in. */
export const useSignOutEverywhere = (onSuccess: () => void) => useMutation({ mutationFn: () => api.delete('/api/auth/sessions'), onSuccess });

/** What a password change sends: the current password (checked, and rate-limited like sign-in) and the new one. */
export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/**
 * Changes the signed-in user's password. The server ends every session of the user and starts a new one
 * for this browser, with a new CSRF token: it is read again before any other change is sent.
 */
export function useChangePassword(onDone: () => void) {
  const sessionsChanged = useInvalidate(accountKeys.sessions);
  return useMutation({
    mutationFn: async (change: PasswordChange) => {
      await api.post('/api/auth/password', change);
      setCsrfToken((await api.get<ReadOf<'/api/auth/me'>>('/api/auth/me')).csrfToken);
    },
    onSuccess: async () => {
      await sessionsChanged();
      onDone();
    },
  });
}
