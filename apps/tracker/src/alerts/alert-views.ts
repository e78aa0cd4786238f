import { z } from 'zod';
import { timestamp, view } from '../schemas/views';
import { ALERT_KINDS } from './alert-rules';

export const alertsView = view({
  alerts: z.array(
    view({
      kind: z.enum(ALERT_KINDS),
      severity: z.enum(['error', 'warning']),
      subjectId: z.string(),
      subjectName: z.string(),
      message: z.string(),
      action: z.string(),
      since: timestamp.nullable(),
    }),
  ),
  checkedAt: timestamp,
});
