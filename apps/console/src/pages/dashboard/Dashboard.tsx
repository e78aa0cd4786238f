import { sumDecimals } from '@postwire/core/money';
import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { EmptyState, QueryState } from '../../components/states';
import { addDays, dayIn, formatMoney, formatNumber } from '../../lib/format';
import { dailySeries, groupKey, type StatsRow } from '../../lib/stats';
import { useStats } from '../reports/queries';
import { useAlerts } from './queries';

const TimeChart = lazy(() => import('../../charts/TimeChart'));

interface Kpi {
  clicks: number;
  conversions: number;
  payout: string;
  cost: string;
  profit: string;
}

function kpi(rows: StatsRow[]): Kpi {
  return {
    clicks: rows.reduce((n, r) => n + Number(r.clicks ?? 0), 0),
    conversions: rows.reduce((n, r) => n + Number(r.conversions ?? 0), 0),
    payout: sumDecimals(rows.map((r) => r.payout)),
    cost: sumDecimals(rows.map((r) => r.cost)),
    profit: sumDecimals(rows.map((r) => r.profit)),
  };
}

export default function Dashboard() {
  const user = useUser();
  const tz = user.timeZone;
  const today = dayIn(new Date(), tz);
  const from = addDays(today, -29);
  const to = addDays(today, 1);
  const daily = useStats({ from, to, tz, groupBy: ['day'], sort: 'day' });
  const top = useStats({ from: addDays(today, -6), to, tz, groupBy: ['campaign'], sort: '-payout', limit: 5 });
  const alerts = useAlerts({ enabled: user.role !== 'client' });
  const currency = (daily.data?.currency as string | undefined) ?? 'USD';
  const rows = useMemo(() => daily.data?.rows ?? [], [daily.data]);
  const periods = useMemo(() => {
    const dayOf = (r: StatsRow) => groupKey(r, 'day').value.slice(0, 10);
    const since = (first: string, last = today) => kpi(rows.filter((r) => dayOf(r) >= first && dayOf(r) <= last));
    return [
      { label: 'Today', value: since(today) },
      { label: 'Yesterday', value: since(addDays(today, -1), addDays(today, -1)) },
      { label: 'Last 7 days', value: since(addDays(today, -6)) },
      { label: 'Last 30 days', value: since(from) },
    ];
  }, [rows, today, from]);
  const chart = useMemo(() => {
    const series = dailySeries(rows, from, to);
    return {
      x: series.x,
      series: [
        { label: 'Clicks', values: series.clicks, color: '#4c6ef5' },
        { label: 'Conversions', values: series.conversions, color: '#2f9e44' },
      ],
    };
  }, [rows, from, to]);
  const showProfit = !user.hideProfit;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Dashboard
        </Title>
        <Text size="sm" c="dimmed">
          Days in {tz}
        </Text>
      </Group>
      {alerts.data && alerts.data.alerts.length > 0 && (
        <Stack gap="xs" aria-label="Alerts">
          {alerts.data.alerts.map((a) => (
            <Alert key={`${a.kind}-${a.subjectId}`} color={a.severity === 'error' ? 'red' : 'yellow'} title={a.message}>
              {a.action}
            </Alert>
          ))}
        </Stack>
      )}
      <QueryState loading={daily.isLoading} error={daily.error}>
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
          {periods.map((p) => (
            <Paper key={p.label} withBorder p="md" radius="md">
              <Text size="sm" c="dimmed" fw={600}>
                {p.label}
              </Text>
              <Table withRowBorders={false} verticalSpacing={2} aria-label={`${p.label} totals`}>
                <Table.Tbody>
                  <Metric label="Clicks" value={formatNumber(p.value.clicks)} />
                  <Metric label="Conversions" value={formatNumber(p.value.conversions)} />
                  <Metric label="Payout" value={formatMoney(p.value.payout, currency)} />
                  {showProfit && <Metric label="Cost" value={formatMoney(p.value.cost, currency)} />}
                  {showProfit && <Metric label="Profit" value={formatMoney(p.value.profit, currency)} />}
                </Table.Tbody>
              </Table>
            </Paper>
          ))}
        </SimpleGrid>
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="sm">
            Last 30 days
          </Title>
          {rows.length === 0 ? (
            <Text c="dimmed">No clicks yet. Give a campaign link to a traffic source and the first clicks will show here.</Text>
          ) : (
            <Suspense fallback={<Text c="dimmed">Loading chart…</Text>}>
              <TimeChart x={chart.x} series={chart.series} title="Clicks and conversions per day, last 30 days" />
            </Suspense>
          )}
        </Paper>
      </QueryState>
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="sm">
          Top campaigns, last 7 days
        </Title>
        <QueryState loading={top.isLoading} error={top.error}>
          {(top.data?.rows ?? []).length === 0 ? (
            user.role === 'client' ? (
              <Text c="dimmed">No traffic on your campaigns in the last 7 days.</Text>
            ) : (
              <EmptyState title="No campaign traffic yet" action={{ label: 'Set up a campaign', to: '/setup/campaigns' }}>
                Create a network, an offer, a traffic source and a campaign, then give the campaign link to the traffic source.
              </EmptyState>
            )
          ) : (
            <Table.ScrollContainer minWidth={400}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Campaign</Table.Th>
                    <Table.Th ta="right">Clicks</Table.Th>
                    <Table.Th ta="right">Conversions</Table.Th>
                    <Table.Th ta="right">Payout</Table.Th>
                    {showProfit && <Table.Th ta="right">Profit</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {top.data!.rows.map((r) => {
                    const c = groupKey(r, 'campaign');
                    return (
                      <Table.Tr key={c.value}>
                        <Table.Td>
                          <Anchor component={Link} to={`/reports?groupBy=campaign,day&campaign=${encodeURIComponent(c.value)}`}>
                            {c.label}
                          </Anchor>
                        </Table.Td>
                        <Table.Td ta="right">{formatNumber(r.clicks)}</Table.Td>
                        <Table.Td ta="right">{formatNumber(r.conversions)}</Table.Td>
                        <Table.Td ta="right">{formatMoney(r.payout, currency)}</Table.Td>
                        {showProfit && <Table.Td ta="right">{formatMoney(r.profit, currency)}</Table.Td>}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryState>
      </Paper>
      {alerts.data && alerts.data.alerts.length === 0 && (
        <Group gap="xs">
          <Badge color="teal" variant="light">
            No alerts
          </Badge>
          <Text size="sm" c="dimmed">
            Traffic sources answer, networks send as usual, no rise of unattributed or rejected postbacks.
          </Text>
        </Group>
      )}
    </Stack>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Td px={0}>{label}</Table.Td>
      <Table.Td px={0} ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
}
