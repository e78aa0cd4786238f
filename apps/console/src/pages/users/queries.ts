import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { auditKeys, useAccountSwitch } from '../../lib/lifecycle';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type User = ReadOf<'/api/users'>[number];

export const userKeys = { all: ['users'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: () => api.get<User[]>('/api/users') });

export const useCreateUser = (onDone: (created: User) => void) =>
  useCreate((body: Parameters<typeof endpoints.createUser>[0]) => endpoints.createUser<User>(body), userKeys.all, onDone);

/** Saves an edit; `version` is the one the form was opened with, so a colleague's change in between is refused (409). */
export function useUpdateUser(userId: string) {
  const changed = useInvalidate(userKeys.all, auditKeys.all);
  return useMutation({ mutationFn: (body: Parameters<typeof endpoints.updateUser>[1]) => endpoints.updateUser<User>(userId, body), onSettled: changed });
}

/** Disable (the account cannot sign in, its sessions end) and enable again. */
export const useUserSwitch = () => useAccountSwitch('users', userKeys.all);

export function useDeleteUser() {
  const usersChanged = useInvalidate(userKeys.all, auditKeys.all);
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/users/${id}`), onSettled: usersChanged });
}
