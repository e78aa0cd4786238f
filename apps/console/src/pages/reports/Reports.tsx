import {
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Group,
  MultiSelect,
  Paper,
  Popover,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession, useUser } from '../../auth/session';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { VirtualTable } from '../../components/VirtualTable';
import { addDays, allTimeZones, dayIn, formatMoney, formatNumber, formatPercent } from '../../lib/format';
import { dailySeries, DEFAULT_METRICS, DIMENSIONS, dimensionLabel, groupKey, METRICS, TIME_DIMENSIONS, type StatsQuery, type StatsRow } from '../../lib/stats';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useNetworks } from '../networks/queries';
import { useOffers } from '../offers/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { fetchStatsCsv, useStats } from './queries';
import { ReportSource } from './ReportSource';

const TimeChart = lazy(() => import('../../charts/TimeChart'));

const PRESETS: Array<{ value: string; label: string; days: (today: string) => [string, string] }> = [
  { value: 'today', label: 'Today', days: (t) => [t, addDays(t, 1)] },
  { value: 'yesterday', label: 'Yesterday', days: (t) => [addDays(t, -1), t] },
  { value: '7d', label: 'Last 7 days', days: (t) => [addDays(t, -6), addDays(t, 1)] },
  { value: '30d', label: 'Last 30 days', days: (t) => [addDays(t, -29), addDays(t, 1)] },
  { value: 'month', label: 'This month', days: (t) => [`${t.slice(0, 8)}01`, addDays(t, 1)] },
  { value: 'custom', label: 'Custom range', days: (t) => [addDays(t, -6), addDays(t, 1)] },
];
const FILTER_DIMENSIONS = DIMENSIONS.filter((d) => !TIME_DIMENSIONS.includes(d));

/** Reads and writes the report's whole state in the URL, so a view can be shared. */
function useReportState() {
  const [params, setParams] = useSearchParams();
  const user = useUser();
  const tz = params.get('tz') || user.timeZone;
  const today = dayIn(new Date(), tz);
  const preset = params.get('range') || '7d';
  const [defaultFrom, defaultTo] = (PRESETS.find((p) => p.value === preset) ?? PRESETS[2]).days(today);
  const from = preset === 'custom' ? params.get('from') || defaultFrom : defaultFrom;
  const to = preset === 'custom' ? params.get('to') || defaultTo : defaultTo;
  const groupBy = (params.get('groupBy') || 'campaign').split(',').filter(Boolean).slice(0, 3);
  const filters: Record<string, string[]> = {};
  for (const dim of FILTER_DIMENSIONS) {
    const value = params.get(dim);
    if (value) filters[dim] = value.split(',');
  }
  const sort = params.get('sort') || '-clicks';
  const columns = (params.get('cols') || DEFAULT_METRICS.join(',')).split(',');
  const update = (patch: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v === null || v === '') next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: false },
    );
  return { tz, preset, from, to, groupBy, filters, sort, columns, update };
}

/** Rows per page of the report table: the most a report page may hold (the table is virtualised); beyond, it pages by cursor. */
const PAGE_ROWS = 10_000;

export default function Reports() {
  const user = useUser();
  const { setTimeZone } = useSession();
  const state = useReportState();
  const { tz, from, to, groupBy, filters, sort, update } = state;
  const metrics = METRICS.filter((m) => !(user.hideProfit && m.profit));
  const columns = state.columns.filter((c) => metrics.some((m) => m.key === c));
  // The server answers a page of rows (the rest stay in the database); a new query starts at its first page again.
  const [page, setPage] = useState<{ of: string; cursors: string[] }>({ of: '', cursors: [] });
  const pageOf = JSON.stringify({ from, to, tz, groupBy, filters, sort });
  const cursors = page.of === pageOf ? page.cursors : [];
  const cursor = cursors[cursors.length - 1];
  const query: StatsQuery = { from, to, tz, groupBy, filters, sort, limit: PAGE_ROWS, ...(cursor ? { cursor } : {}) };
  const report = useStats(query, { keepPrevious: true });
  const timeLevel = groupBy.find((g) => TIME_DIMENSIONS.includes(g));
  const chartBy = timeLevel && groupBy.length === 1 ? timeLevel : addDays(from, 3) >= to ? 'hour' : 'day';
  const chartQuery: StatsQuery = { from, to, tz, groupBy: [chartBy], filters, sort: chartBy, limit: 2000 };
  const chartData = useStats(chartQuery, { keepPrevious: true });
  const currency = (report.data?.currency as string | undefined) ?? 'USD';
  const campaigns = useCampaigns();
  const staff = user.role !== 'client';
  const offers = useOffers({ enabled: staff });
  const networks = useNetworks({ enabled: staff });
  const sources = useTrafficSources({ enabled: staff });
  // Filter chips name what they filter, also after a drill-down took the dimension out of the rows.
  const entityNames = new Map([...nameMap(campaigns.data), ...nameMap(offers.data), ...nameMap(networks.data), ...nameMap(sources.data)]);

  const tableColumns = useMemo<ColumnDef<StatsRow>[]>(
    () => [
      ...groupBy.map<ColumnDef<StatsRow>>((dim) => ({
        id: dim,
        accessorFn: (row) => groupKey(row, dim).label,
        header: dimensionLabel(dim),
        cell: ({ row }) => groupKey(row.original, dim).label,
      })),
      ...columns.map<ColumnDef<StatsRow>>((key) => {
        const metric = METRICS.find((m) => m.key === key)!;
        return {
          id: key,
          accessorFn: (row) => row[key],
          header: metric.label,
          meta: { numeric: true },
          cell: ({ row }) => formatCell(row.original[key], metric.kind, currency),
        };
      }),
    ],
    [groupBy, columns, currency],
  );
  const sorting: SortingState = [{ id: sort.replace(/^-/, ''), desc: sort.startsWith('-') }];
  const table = useReactTable({
    data: report.data?.rows ?? [],
    columns: tableColumns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    // The server always sorts by something: a header click flips the direction instead of removing it.
    enableSortingRemoval: false,
    sortDescFirst: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      update({ sort: first ? `${first.desc ? '-' : ''}${first.id}` : null });
    },
  });

  function drillDown(row: StatsRow) {
    const [first, ...rest] = groupBy;
    const key = groupKey(row, first);
    if (TIME_DIMENSIONS.includes(first)) {
      // A day drills into its hours; other periods into days.
      const day = key.value.slice(0, 10);
      update({
        range: 'custom',
        from: day,
        to: first === 'day' ? addDays(day, 1) : first === 'week' ? addDays(day, 7) : addDays(day, 31),
        groupBy: (rest.length ? rest : [first === 'day' ? 'hour' : 'day']).join(','),
      });
      return;
    }
    update({ [first]: key.value, groupBy: (rest.length ? rest : [first === 'campaign' ? 'day' : 'campaign']).join(',') });
  }

  async function exportCsv() {
    // The export holds the most rows a report page may have, from the first row on.
    const csv = await fetchStatsCsv({ ...query, cursor: undefined, limit: 10_000 });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `postwire-report-${from}-${to}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  }

  const chart = useMemo(() => {
    const rows = chartData.data?.rows ?? [];
    if (chartBy === 'day') {
      const series = dailySeries(rows, from, to);
      return {
        x: series.x,
        series: [
          { label: 'Clicks', values: series.clicks, color: '#4c6ef5' },
          { label: 'Conversions', values: series.conversions, color: '#2f9e44' },
        ],
      };
    }
    const x = rows.map((r) => {
      const value = groupKey(r, chartBy).value;
      return Date.parse(value.length <= 10 ? `${value}T00:00:00Z` : value) / 1000;
    });
    return {
      x,
      series: [
        { label: 'Clicks', values: rows.map((r) => Number(r.clicks ?? 0)), color: '#4c6ef5' },
        { label: 'Conversions', values: rows.map((r) => Number(r.conversions ?? 0)), color: '#2f9e44' },
      ],
    };
  }, [chartData.data, chartBy, from, to]);

  // Totals have the metric columns only; read by the metric keys the table shows.
  const totals = report.data?.totals as Record<string, string | number | null> | undefined;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Reports
        </Title>
        <Group gap="md">
          <ReportSource database={report.data?.database} />
          <Text size="sm" c="dimmed" data-testid="report-zone">
            Days and hours in {tz}
          </Text>
        </Group>
      </Group>
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select
            label="Date range"
            data={PRESETS.map(({ value, label }) => ({ value, label }))}
            value={state.preset}
            onChange={(v) => update({ range: v, from: v === 'custom' ? from : null, to: v === 'custom' ? to : null })}
            allowDeselect={false}
          />
          {state.preset === 'custom' ? (
            <Group grow gap="xs">
              <TextInput label="From" type="date" value={from} onChange={(e) => update({ from: e.currentTarget.value })} />
              <TextInput label="To (exclusive)" type="date" value={to} onChange={(e) => update({ to: e.currentTarget.value })} />
            </Group>
          ) : (
            <TextInput label="Period" value={`${from} – ${addDays(to, -1)}`} readOnly />
          )}
          <Select
            label="Time zone"
            searchable
            data={allTimeZones()}
            value={tz}
            allowDeselect={false}
            onChange={(zone) => {
              if (!zone) return;
              update({ tz: zone });
              void setTimeZone(zone);
            }}
          />
          <MultiSelect
            label="Group by (up to 3 levels)"
            data={DIMENSIONS.map((d) => ({ value: d, label: dimensionLabel(d) }))}
            value={groupBy}
            maxValues={3}
            onChange={(v) => update({ groupBy: v.length ? v.join(',') : 'campaign' })}
            searchable
          />
        </SimpleGrid>
        <Group mt="sm" gap="xs">
          {Object.entries(filters).map(([dim, values]) => (
            <Badge
              key={dim}
              variant="light"
              size="lg"
              rightSection={<CloseButton size="xs" aria-label={`Remove filter ${dimensionLabel(dim)}`} onClick={() => update({ [dim]: null })} />}
            >
              {dimensionLabel(dim)}: {values.map((v) => entityNames.get(v) ?? labelOf(report.data?.rows ?? [], dim, v)).join(', ')}
            </Badge>
          ))}
          <FilterAdder onAdd={(dim, value) => update({ [dim]: [...(filters[dim] ?? []), value].join(',') })} />
          <ColumnChooser options={metrics} value={columns} onChange={(v) => update({ cols: v.join(',') })} />
          <Button variant="light" size="xs" onClick={() => void exportCsv().catch((e: Error) => alert(e.message))}>
            Export CSV
          </Button>
        </Group>
      </Paper>
      <Paper withBorder p="sm">
        <Text size="sm" fw={600} mb={4}>
          Clicks and conversions of this selection, per {chartBy}
        </Text>
        {chartData.error ? (
          <ErrorNote error={chartData.error} />
        ) : (
          <Suspense fallback={<Text c="dimmed">Loading chart…</Text>}>
            {chart.x.length > 0 ? (
              <TimeChart x={chart.x} series={chart.series} height={180} title={`Clicks and conversions per ${chartBy}`} />
            ) : (
              <Text c="dimmed">Nothing to chart yet.</Text>
            )}
          </Suspense>
        )}
      </Paper>
      <QueryState loading={report.isLoading} error={report.error}>
        {(report.data?.rows ?? []).length === 0 ? (
          <EmptyState title="No data for this selection">
            Widen the date range or remove a filter. Clicks appear here as soon as a campaign link is opened.
          </EmptyState>
        ) : (
          <>
            <Group gap="xs">
              <Text size="sm" c="dimmed" data-testid="report-page">
                {formatNumber(report.data!.totalRows)} rows
                {report.data!.rows.length < report.data!.totalRows
                  ? `, showing ${formatNumber(report.data!.offset + 1)}–${formatNumber(report.data!.offset + report.data!.rows.length)}` +
                    ` (${formatNumber(Math.max(0, report.data!.totalRows - report.data!.offset - report.data!.rows.length))} more rows)`
                  : ''}
                . Click a row to drill down{groupBy.length > 1 ? ` into ${dimensionLabel(groupBy[1])}` : ''}.
              </Text>
              {cursors.length > 0 && (
                <Button variant="subtle" size="xs" onClick={() => setPage({ of: pageOf, cursors: cursors.slice(0, -1) })}>
                  Previous page
                </Button>
              )}
              {report.data!.nextCursor && (
                <Button variant="subtle" size="xs" onClick={() => setPage({ of: pageOf, cursors: [...cursors, report.data!.nextCursor!] })}>
                  Next {formatNumber(PAGE_ROWS)} rows
                </Button>
              )}
            </Group>
            <VirtualTable
              table={table}
              label="Report"
              onRowClick={drillDown}
              footer={
                totals && (
                  <Table.Tr data-testid="report-totals">
                    {groupBy.map((dim, i) => (
                      <Table.Td key={dim}>{i === 0 ? 'Total' : ''}</Table.Td>
                    ))}
                    {columns.map((key) => (
                      <Table.Td key={key} ta="right">
                        {formatCell(totals[key], METRICS.find((m) => m.key === key)!.kind, currency)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                )
              }
            />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function formatCell(value: unknown, kind: string, currency: string): string {
  if (kind === 'money') return formatMoney(value, currency);
  if (kind === 'ratio') return formatPercent(value);
  return formatNumber(value);
}

function labelOf(rows: StatsRow[], dim: string, value: string): string {
  for (const row of rows) {
    const key = groupKey(row, dim);
    if (key.value === value) return key.label;
  }
  return value;
}

function FilterAdder({ onAdd }: { onAdd: (dim: string, value: string) => void }) {
  return (
    <Popover position="bottom-start" withArrow trapFocus>
      <Popover.Target>
        <Button variant="light" size="xs">
          Add filter
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const dim = String(data.get('dim') ?? '');
            const value = String(data.get('value') ?? '').trim();
            if (dim && value) onAdd(dim, value);
          }}
        >
          <Stack gap="xs">
            <Select
              label="Dimension"
              name="dim"
              data={FILTER_DIMENSIONS.map((d) => ({ value: d, label: dimensionLabel(d) }))}
              defaultValue="campaign"
              allowDeselect={false}
            />
            <TextInput label="Value (id or text)" name="value" required />
            <Button type="submit" size="xs">
              Apply
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

function ColumnChooser({ options, value, onChange }: { options: typeof METRICS; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <Popover position="bottom-start" withArrow>
      <Popover.Target>
        <Button variant="light" size="xs">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group label="Columns shown" value={value} onChange={(v) => onChange(options.map((o) => o.key).filter((k) => v.includes(k)))}>
          <Stack gap={4} mt="xs">
            {options.map((m) => (
              <Checkbox key={m.key} value={m.key} label={m.label} />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
