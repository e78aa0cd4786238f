import { Alert, Badge, Button, Text } from '@mantine/core';
import { formatNumber } from '../../lib/format';
import type { StatsReport } from '../../lib/stats';

export type Approximation = NonNullable<StatsReport['approximation']>;
export type RowMark = Approximation['rows'][number];

/**
 * Above the table of an approximate answer (a sub1 × sub2 report over all campaigns, read from the
 * pair grain): what is exact and what is not, and the way to the exact answer.
 */
export function ApproximationNote({ approximation, onExact }: { approximation: Approximation; onExact: () => void }) {
  const kept = approximation.headPairs === null ? 'the top pairs' : `the top ${formatNumber(approximation.headPairs)} pairs`;
  return (
    <Alert color="yellow" variant="light" title="Approximate figures for the long tail of pairs" data-testid="report-approximation">
      <Text size="sm">
        For speed, each day and week keeps {kept} of sub1 × sub2 by clicks exactly and adds up the rest. Rows marked “lower bound” were cut in some day or week
        of this range, so their clicks and cost may be higher; conversions are exact. “(other)” holds everything not listed. The totals are exact.
      </Text>
      <Button mt="xs" size="xs" variant="light" onClick={onExact} data-testid="report-exact">
        Show exact figures (slower)
      </Button>
    </Alert>
  );
}

/** The mark of a row of an approximate answer, beside its first key. */
export function RowMarkBadge({ mark }: { mark: RowMark | undefined }) {
  if (mark !== 'lowerBound') return null;
  return (
    <Badge ml={6} size="xs" color="yellow" variant="light" title="Cut in some day or week of the range: the clicks may be higher" data-testid="row-lower-bound">
      lower bound
    </Badge>
  );
}
