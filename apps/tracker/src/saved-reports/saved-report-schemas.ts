import { z } from 'zod';
import { timestamp, view } from '../schemas/views';

const name = z.string().trim().min(1, 'is required').max(100, 'may be at most 100 characters');
/** The report's URL state: a query string as the console's report screen keeps it (no `?`, no fragment). */
const query = z
  .string()
  .max(4000, 'may be at most 4000 characters')
  .regex(/^[^?#\s]*$/, 'must be a query string without "?", "#" or spaces, such as range=7d&groupBy=campaign');

export const createSavedReportSchema = z.object({ name, query }).strict();
export const updateSavedReportSchema = z
  .object({ name: name.optional(), query: query.optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.query !== undefined, { message: 'give name, query or both', path: ['name'] });

export const savedReportView = view({
  id: z.string().uuid(),
  name: z.string(),
  /** The report's query string: open `/console/reports?<query>` to see it. */
  query: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
