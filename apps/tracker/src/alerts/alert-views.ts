import { z } from 'zod';
import { timestamp, view } from '../schemas/views';

export const alertsView = view({
  alerts: z.array(
    view({
      kind: z.enum(['traffic_source_failing', 'network_silent', 'postbacks_rising']),
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
