import { Anchor, Badge, Button, Checkbox, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { EmptyState, ErrorNote } from '../../components/states';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { formatDateTime, formatMoney } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useDecideHolds, useHeldConversions, type HeldConversion } from './queries';

/** The signals that fired for a held conversion, each with what was measured and the bound it crossed. */
function Reasons({ conversion }: { conversion: HeldConversion }) {
  const fired = conversion.signals.filter((s) => s.fired);
  return (
    <Group gap={4}>
      {fired.map((s) => (
        <Tooltip key={s.code} label={`${s.value} (${s.threshold}, +${s.weight})`}>
          <Badge variant="outline" color="red" c="dark" tt="none">
            {s.code}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

/**
 * The review queue: conversions a campaign's fraud policy held, with the reasons. Release forwards a
 * conversion (once); reject declines it. One at a time from its row, or the selected ones together.
 */
export default function HeldConversions() {
  const user = useUser();
  const [offset, setOffset] = useState(0);
  // ?campaignId= narrows the queue to one campaign (the campaign's fraud page links here so).
  const [params, setParams] = useSearchParams();
  const campaignId = params.get('campaignId') ?? undefined;
  // ?test=true|false: only the console's test conversions, or none of them (a policy tried out with test postbacks).
  const test = params.get('test') ?? undefined;
  const held = useHeldConversions(offset, campaignId, test);
  const filterBy = (key: 'campaignId' | 'test', value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setOffset(0);
  };
  const campaigns = useCampaigns();
  const campaignNames = nameMap(campaigns.data);
  const decide = useDecideHolds();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const rows = held.data?.items;
  const act = (action: 'release' | 'reject', conversionIds: string[]) => decide.mutate({ action, conversionIds }, { onSuccess: () => setSelected(new Set()) });
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allSelected = !!rows?.length && rows.every((r) => selected.has(r.conversionId));
  return (
    <Stack>
      <PageHeader title="Held conversions">
        <TimeZoneNote timeZone={user.timeZone} />
      </PageHeader>
      {campaignId && (
        <Group gap="xs">
          <Text size="sm">
            Campaign <b>{campaignNames.get(campaignId) ?? campaignId}</b> only.
          </Text>
          <Anchor component={Link} to={`/fraud/campaigns/${campaignId}`} size="sm">
            Its fraud page
          </Anchor>
          <Button size="compact-sm" variant="subtle" onClick={() => filterBy('campaignId', null)}>
            Show every campaign
          </Button>
        </Group>
      )}
      <Text size="sm" c="dimmed">
        Conversions a fraud policy held for review. They are stored but not forwarded until released; rejected ones are declined.
      </Text>
      <Group align="end">
        <TestItemsFilter value={test ?? ''} onChange={(v) => filterBy('test', v)} />
      </Group>
      <Group>
        <Button disabled={selected.size === 0} loading={decide.isPending} onClick={() => act('release', [...selected])}>
          Release selected ({selected.size})
        </Button>
        <Button color="red" variant="light" disabled={selected.size === 0} loading={decide.isPending} onClick={() => act('reject', [...selected])}>
          Reject selected ({selected.size})
        </Button>
        {held.data && (
          <Text size="sm" aria-live="polite">
            {held.data.total} held
          </Text>
        )}
      </Group>
      <ErrorNote error={decide.error} />
      {decide.data && (
        <Text size="sm" role="status">
          {decide.data.decided.length} decided{decide.data.skipped.length ? `, ${decide.data.skipped.length} no longer held` : ''}.
        </Text>
      )}
      <ListState
        query={held}
        rows={rows}
        empty={<EmptyState title="Nothing held">A conversion is held when its campaign's or offer's fraud policy says `hold` at its score.</EmptyState>}
      >
        {(items) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label="Held conversions" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <Checkbox
                      aria-label="Select all held conversions"
                      checked={allSelected}
                      onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items.map((r) => r.conversionId)) : new Set())}
                    />
                  </Table.Th>
                  <Table.Th>Held</Table.Th>
                  <Table.Th>Campaign</Table.Th>
                  <Table.Th ta="right">Score</Table.Th>
                  <Table.Th>Reasons</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Payout</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.conversionId} data-testid="held-row">
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select conversion ${c.conversionId}`}
                        checked={selected.has(c.conversionId)}
                        onChange={(e) => toggle(c.conversionId, e.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(c.scoredAt, user.timeZone)}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/fraud/campaigns/${c.campaignId}`} size="sm">
                        {campaignNames.get(c.campaignId) ?? 'Campaign'}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{c.score}</Table.Td>
                    <Table.Td>
                      <Reasons conversion={c} />
                    </Table.Td>
                    <Table.Td>
                      {c.status}
                      <TestBadge test={c.isTest} />
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(c.payout, c.currency)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {c.heldUntil ? `${formatDateTime(c.heldUntil, user.timeZone)} → ${c.holdExpiry ?? ''}` : '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" variant="light" aria-label={`Release conversion ${c.conversionId}`} onClick={() => act('release', [c.conversionId])}>
                          Release
                        </Button>
                        <Button
                          size="xs"
                          color="red"
                          variant="subtle"
                          aria-label={`Reject conversion ${c.conversionId}`}
                          onClick={() => act('reject', [c.conversionId])}
                        >
                          Reject
                        </Button>
                        <Anchor component={Link} to={`/conversions/${c.conversionId}`} size="sm">
                          Trace
                        </Anchor>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </ListState>
      {held.data && held.data.total > held.data.limit && (
        <Group>
          <Button variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - held.data.limit))}>
            Previous
          </Button>
          <Button variant="default" disabled={offset + held.data.limit >= held.data.total} onClick={() => setOffset(offset + held.data.limit)}>
            Next
          </Button>
        </Group>
      )}
    </Stack>
  );
}
