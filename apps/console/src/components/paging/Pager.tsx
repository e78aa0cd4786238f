import { Button, Group, NativeSelect, Text } from '@mantine/core';
import { pageSpan, type PageTotal } from '@postwire/core/paging';
import { formatNumber } from '../../lib/format';
import { PAGE_SIZES } from './usePagedFilters';

/** "100,000+" when the server stopped counting, else the exact number. */
export function formatTotal(page: PageTotal): string {
  return `${formatNumber(page.total)}${page.totalIsLowerBound ? '+' : ''}`;
}

/**
 * Below a paged list: which rows are shown of how many ("51–100 of 515"), previous/next, and the page size.
 * `label` names the list for screen readers ("Conversions pages").
 */
export function Pager({
  page,
  shown,
  label,
  onOffset,
  onLimit,
}: {
  page: PageTotal & { limit: number; offset: number };
  /** Rows on this page. */
  shown: number;
  label: string;
  onOffset: (offset: number) => void;
  onLimit: (limit: number) => void;
}) {
  const span = pageSpan({ ...page, shown });
  return (
    <Group component="nav" aria-label={label} justify="space-between" wrap="wrap">
      <Text size="sm" aria-live="polite" data-testid="pager-status">
        {shown ? `${formatNumber(span.first)}–${formatNumber(span.last)} of ${formatTotal(page)}` : `None of ${formatTotal(page)}`}
      </Text>
      <Group gap="xs">
        <NativeSelect
          aria-label="Rows per page"
          size="xs"
          data={PAGE_SIZES.map((n) => ({ value: String(n), label: `${n} per page` }))}
          value={String(page.limit)}
          onChange={(e) => onLimit(Number(e.currentTarget.value))}
        />
        <Button size="xs" variant="default" disabled={span.previous === null} onClick={() => span.previous !== null && onOffset(span.previous)}>
          Previous
        </Button>
        <Button size="xs" variant="default" disabled={span.next === null} onClick={() => span.next !== null && onOffset(span.next)}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
