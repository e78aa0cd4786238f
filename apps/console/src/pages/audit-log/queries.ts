import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { auditKeys, type AuditPage } from '../../lib/lifecycle';

/** The audit log's filters as the URL keeps them (also the CSV export's): each one the API's own parameter. */
export const AUDIT_FILTERS = ['entityType', 'entityId', 'action'] as const;

/** One page of the whole audit log, newest first, with its total; the page on screen stays while the next one loads. */
export const useAuditLog = (query: Record<string, string | number | undefined>) =>
  useQuery({ queryKey: auditKeys.page(query), queryFn: () => api.get<AuditPage>('/api/audit-log', query), placeholderData: (previous) => previous });
