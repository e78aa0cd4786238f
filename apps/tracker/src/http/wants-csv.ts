import type { FastifyRequest } from 'fastify';

/** True when the client asked for CSV: `format=csv`, or an Accept header naming text/csv. */
export function wantsCsv(req: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(String(req.headers.accept ?? ''));
}
