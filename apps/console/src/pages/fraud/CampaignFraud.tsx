import { Anchor, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useUser } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { addDays, dayIn, formatNumber, formatPercent } from '../../lib/format';
import { groupKey, type StatsRow } from '../../lib/stats';
import { zonedLocalToUtc } from '../../lib/zoned-time';
import { useCampaigns } from '../campaigns/queries';
import { PolicyForm } from './policy/PolicyForm';
import { useFraudStats, useHeldConversions } from './queries';

const TimeChart = lazy(() => import('../../charts/TimeChart'));

/** Line colours for the reasons, in order of their clicks (dark enough on both themes). */
const REASON_COLORS = ['#e03131', '#1971c2', '#f08c00', '#2f9e44', '#9c36b5', '#0c8599', '#5c940d', '#c2255c', '#495057', '#3b5bdb'];
const RANGES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];

const count = (row: StatsRow | undefined, column: string) => Number((row as Record<string, unknown> | undefined)?.[column] ?? 0);

/**
 * One campaign's fraud: what the scoring saw (suspicious and bot clicks, the reasons over time) and
 * what the policy did (held, rejected as fraud), with the review queue one click away and the
 * campaign's and its offer's policy below.
 */
export default function CampaignFraud() {
  const { id = '' } = useParams();
  const user = useUser();
  const tz = user.timeZone;
  const [days, setDays] = useState('30');
  const campaigns = useCampaigns();
  const campaign = campaigns.data?.find((c) => c.id === id);
  const today = dayIn(new Date(), tz);
  const from = addDays(today, -(Number(days) - 1));
  const to = addDays(today, 1);
  const filters = { campaign: [id] };
  const daily = useFraudStats({ from, to, tz, groupBy: ['day'], filters, sort: 'day' });
  const reasonsDaily = useFraudStats({ from, to, tz, groupBy: ['day', 'fraudReason'], filters, limit: 5000 });
  const reasons = useFraudStats({ from, to, tz, groupBy: ['fraudReason'], filters, sort: '-clicks,-conversions' });
  const held = useHeldConversions(0, id);
  const totals = daily.data?.totals as StatsRow | undefined;

  const x = useMemo(() => {
    const out: number[] = [];
    for (let day = from; day < to; day = addDays(day, 1)) out.push(zonedLocalToUtc(`${day}T00:00`, tz).getTime() / 1000);
    return out;
  }, [from, to, tz]);
  const dayList = useMemo(() => x.map((_, i) => addDays(from, i)), [x, from]);
  const suspiciousSeries = useMemo(() => {
    const byDay = new Map((daily.data?.rows ?? []).map((r) => [groupKey(r, 'day').value.slice(0, 10), r]));
    const pct = (r: StatsRow | undefined) => (r && r.suspiciousPct !== null && r.suspiciousPct !== undefined ? Number(r.suspiciousPct) * 100 : null);
    return [{ label: 'Suspicious %', values: dayList.map((d) => pct(byDay.get(d))), color: '#e03131' }];
  }, [daily.data, dayList]);
  const reasonSeries = useMemo(() => {
    const order = (reasons.data?.rows ?? []).map((r) => groupKey(r, 'fraudReason').value);
    const cells = new Map((reasonsDaily.data?.rows ?? []).map((r) => [`${groupKey(r, 'day').value.slice(0, 10)}|${groupKey(r, 'fraudReason').value}`, r]));
    return order.slice(0, REASON_COLORS.length).map((reason, i) => ({
      label: reason,
      values: dayList.map((d) => {
        const r = cells.get(`${d}|${reason}`);
        return r ? count(r, 'clicks') + count(r, 'conversions') : 0;
      }),
      color: REASON_COLORS[i],
    }));
  }, [reasons.data, reasonsDaily.data, dayList]);
  const heldLink = `/fraud/held?campaignId=${encodeURIComponent(id)}`;
  const chartRange: [number, number] = [x[0] ?? 0, zonedLocalToUtc(`${to}T00:00`, tz).getTime() / 1000];

  return (
    <Stack>
      <PageHeader title={`Fraud: ${campaign?.name ?? 'campaign'}`}>
        <Group>
          <SegmentedControl aria-label="Range" data={RANGES} value={days} onChange={setDays} />
          <Text size="sm" c="dimmed">
            Days in {tz}
          </Text>
        </Group>
      </PageHeader>
      <QueryState loading={daily.isLoading} error={daily.error}>
        <SimpleGrid cols={{ base: 2, md: 6 }} data-testid="fraud-totals">
          {[
            { label: 'Clicks', value: formatNumber(count(totals, 'clicks')) },
            { label: 'Suspicious clicks', value: formatNumber(count(totals, 'suspiciousClicks')) },
            { label: 'Suspicious %', value: totals?.suspiciousPct == null ? '—' : formatPercent(totals.suspiciousPct) },
            { label: 'Bot clicks', value: formatNumber(count(totals, 'botClicks')) },
            { label: 'Held', value: formatNumber(count(totals, 'heldConversions')) },
            { label: 'Rejected as fraud', value: formatNumber(count(totals, 'fraudRejected')) },
          ].map((k) => (
            <Paper key={k.label} withBorder p="sm">
              <Text size="xs" c="dimmed">
                {k.label}
              </Text>
              <Text size="xl" fw={600} data-testid={`fraud-${k.label}`}>
                {k.value}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      </QueryState>
      <Group>
        <Button component={Link} to={heldLink} variant="light">
          Review held conversions{held.data ? ` (${held.data.total} now)` : ''}
        </Button>
        <Anchor component={Link} to={`/reports?groupBy=day,fraudReason&campaign=${encodeURIComponent(id)}`} size="sm">
          Open in reports
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="sm">
          <Text size="sm" fw={600} mb={4}>
            Suspicious % of clicks per day
          </Text>
          <ErrorNote error={daily.error} />
          <Suspense fallback={<Text c="dimmed">Loading chart…</Text>}>
            <TimeChart
              x={x}
              series={suspiciousSeries}
              height={200}
              title={`Suspicious percentage of clicks per day, ${from} to ${today}`}
              range={chartRange}
              timeZone={tz}
            />
          </Suspense>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" fw={600} mb={4}>
            Reasons per day (clicks and conversions)
          </Text>
          <ErrorNote error={reasonsDaily.error} />
          <Suspense fallback={<Text c="dimmed">Loading chart…</Text>}>
            {reasonSeries.length ? (
              <TimeChart x={x} series={reasonSeries} height={200} title={`Fraud reasons per day, ${from} to ${today}`} range={chartRange} timeZone={tz} />
            ) : (
              <Text c="dimmed">No reason fired in this range.</Text>
            )}
          </Suspense>
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="sm">
        <Text size="sm" fw={600}>
          Top reasons
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          A click or conversion with several reasons counts under each, so the rows add up to more than the totals above.
        </Text>
        <QueryState loading={reasons.isLoading} error={reasons.error}>
          {(reasons.data?.rows ?? []).length === 0 ? (
            <EmptyState title="No reasons fired">Clicks and conversions of this campaign in this range raised no fraud signal.</EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={700}>
              <Table striped aria-label="Top fraud reasons" style={{ fontVariantNumeric: 'tabular-nums' }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th ta="right">Clicks</Table.Th>
                    <Table.Th ta="right">Suspicious clicks</Table.Th>
                    <Table.Th ta="right">Bot clicks</Table.Th>
                    <Table.Th ta="right">Conversions</Table.Th>
                    <Table.Th ta="right">Held</Table.Th>
                    <Table.Th ta="right">Rejected as fraud</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(reasons.data?.rows ?? []).map((r) => {
                    const reason = groupKey(r, 'fraudReason').value;
                    return (
                      <Table.Tr key={reason} data-testid="reason-row">
                        <Table.Td>
                          <code>{reason}</code>
                        </Table.Td>
                        {['clicks', 'suspiciousClicks', 'botClicks', 'conversions', 'heldConversions', 'fraudRejected'].map((c) => (
                          <Table.Td key={c} ta="right">
                            {formatNumber(count(r, c))}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      </Paper>
      <Paper withBorder p="sm">
        <Text size="sm" fw={600} mb="xs" component="h2">
          Policy
        </Text>
        <Tabs defaultValue="campaign" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="campaign">This campaign</Tabs.Tab>
            {campaign && <Tabs.Tab value="offer">Its offer (every campaign of the offer)</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="campaign" pt="sm">
            <PolicyForm owner="campaign" id={id} />
          </Tabs.Panel>
          {campaign && (
            <Tabs.Panel value="offer" pt="sm">
              <Text size="sm" c="dimmed" mb="sm">
                The campaign's own policy wins, field by field, over its offer's.
              </Text>
              <PolicyForm owner="offer" id={campaign.offerId} />
            </Tabs.Panel>
          )}
        </Tabs>
      </Paper>
    </Stack>
  );
}
