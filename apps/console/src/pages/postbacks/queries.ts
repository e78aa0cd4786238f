import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';

export type PostbackEntry = ReadOf<'/api/postbacks'>[number];

/** What the received-postbacks log can be narrowed to on the server (empty means any). */
export interface PostbackFilter {
  outcome: string;
  clickId: string;
  /** `true`/`false`: only / no test postbacks; empty: both. */
  test: string;
}

export const postbackKeys = {
  all: ['postbacks'] as const,
  list: (filter: PostbackFilter) => ['postbacks', filter] as const,
};

export const usePostbacks = (filter: PostbackFilter) =>
  useQuery({ queryKey: postbackKeys.list(filter), queryFn: () => api.get<PostbackEntry[]>('/api/postbacks', { ...filter, limit: 1000 }) });
