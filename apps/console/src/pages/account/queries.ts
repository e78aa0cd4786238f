import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
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
