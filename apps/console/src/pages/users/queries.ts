import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { endpoints } from '../../api/endpoints';
import type { ReadOf } from '../../api/responses';
import { useCreate, useInvalidate } from '../../lib/mutations';

export type User = ReadOf<'/api/users'>[number];

export const userKeys = { all: ['users'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: () => api.get<User[]>('/api/users') });

export const useCreateUser = (onDone: (created: User) => void) =>
  useCreate((body: Parameters<typeof endpoints.createUser>[0]) => endpoints.createUser<User>(body), userKeys.all, onDone);

export function useDeleteUser() {
  const usersChanged = useInvalidate(userKeys.all);
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/users/${id}`), onSettled: usersChanged });
}
