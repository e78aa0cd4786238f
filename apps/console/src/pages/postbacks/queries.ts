import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ReadOf } from '../../api/responses';

export type PostbackPage = ReadOf<'/api/postbacks'>;
export type PostbackEntry = PostbackPage['items'][number];

/** The filters of the Received postbacks list the URL keeps (empty means any); see GET /api/postbacks. */
export const POSTBACK_FILTERS = ['outcome', 'reason', 'networkId', 'q', 'clickId', 'test'] as const;

export const postbackKeys = {
  all: ['postbacks'] as const,
  list: (query: Record<string, string | number | undefined>) => ['postbacks', query] as const,
};

/** One page of the log; the previous page stays on screen while the next one loads. */
export const usePostbacks = (query: Record<string, string | number | undefined>) =>
  useQuery({ queryKey: postbackKeys.list(query), queryFn: () => api.get<PostbackPage>('/api/postbacks', query), placeholderData: keepPreviousData });
