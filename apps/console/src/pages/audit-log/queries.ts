import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { auditKeys, type AuditPage } from '../../lib/lifecycle';

/** How many changes one page of the audit log shows. */
export const AUDIT_PAGE_SIZE = 50;

/** The audit log's filters, as the screen keeps them in its URL. */
export interface AuditFilters {
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
}

/** One page of the whole audit log, newest first; the page on screen stays while the next one loads. */
export const useAuditLog = ({ page, ...filters }: AuditFilters) => {
  const query = { ...filters, limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE };
  return useQuery({ queryKey: auditKeys.page(query), queryFn: () => api.get<AuditPage>('/api/audit-log', query), placeholderData: (previous) => previous });
};
