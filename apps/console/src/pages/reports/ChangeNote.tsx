import { Text } from '@mantine/core';
import { figureChange } from '@postwire/core/report-columns';
import { formatPercent } from '../../lib/format';

/** Columns where a rise is bad news: shown red when they go up. */
const LOWER_IS_BETTER = new Set(['cost', 'cpa', 'declined', 'refunded', 'clicksWithoutCost', 'unconvertedConversions']);

/** A figure's move since the previous period: an arrow and the relative change ("▲ 25.00 %"), "new" from zero. */
export function ChangeNote({ column, current, previous }: { column: string; current: unknown; previous: unknown }) {
  const { delta, change } = figureChange(current as string | number | null, previous as string | number | null);
  if (delta === null) return null;
  const sign = Math.sign(Number(delta));
  const arrow = sign > 0 ? '▲' : sign < 0 ? '▼' : '=';
  const text = change !== null ? formatPercent(change.replace(/^-/, '')) : sign === 0 ? '' : 'new';
  const good = sign === 0 ? undefined : sign > 0 !== LOWER_IS_BETTER.has(column);
  const words = sign === 0 ? 'unchanged' : `${sign > 0 ? 'up' : 'down'} ${change !== null ? formatPercent(change.replace(/^-/, '')) : 'from zero'}`;
  return (
    <Text
      span
      size="xs"
      c={good === undefined ? 'dimmed' : good ? 'teal.9' : 'red.9'}
      ml={6}
      style={{ whiteSpace: 'nowrap' }}
      aria-label={`${words} from the previous period`}
      data-testid="change-note"
    >
      {arrow} {text}
    </Text>
  );
}
