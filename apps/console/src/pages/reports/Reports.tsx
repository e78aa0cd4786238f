import {
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Popover,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { getCoreRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession, useUser } from '../../auth/session';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { VirtualTable } from '../../components/VirtualTable';
import { addDays, allTimeZones, dayIn, formatMoney, formatNumber, formatPercent } from '../../lib/format';
import { REPORT_PRESETS } from '../../lib/report-presets';
import { readReportUrl, type ReportUrlState } from '../../lib/report-url';
import { dailySeries, DIMENSIONS, dimensionLabel, groupKey, hourlySeries, METRICS, TIME_DIMENSIONS, type StatsQuery, type StatsRow } from '../../lib/stats';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useNetworks } from '../networks/queries';
import { useOffers } from '../offers/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { ApproximationNote, RowMarkBadge } from './ApproximationNote';
import { ChangeNote } from './ChangeNote';
import { FilterPicker } from './FilterPicker';
import { fetchSavedReport, fetchStatsCsv, useStats } from './queries';
import { ReportSource } from './ReportSource';
import { SavedReports } from './SavedReports';
import { UrlProblems } from './UrlProblems';

const TimeChart = lazy(() => import('../../charts/TimeChart'));

type Update = (patch: Record<string, string | null>) => void;

/**
 * The report's whole state lives in the URL, so a view can be shared and saved. A saved report's
 * link (`?saved=<id>`) is replaced by its URL state; a URL that cannot be read shows what is wrong
 * and a reset, never a blank page.
 */
export default function Reports() {
  const [params, setParams] = useSearchParams();
  const user = useUser();
  const savedId = params.get('saved');
  const [savedError, setSavedError] = useState<unknown>(null);
  useEffect(() => {
    if (!savedId) return;
    let live = true;
    fetchSavedReport(savedId).then(
      (saved) => live && setParams(new URLSearchParams(saved.query), { replace: true }),
      (error: unknown) => live && setSavedError(error),
    );
    return () => {
      live = false;
    };
  }, [savedId, setParams]);
  const reset = () => {
    setSavedError(null);
    setParams(new URLSearchParams(), { replace: false });
  };
  if (savedId) {
    return savedError ? (
      <UrlProblems problems={[{ param: 'saved', message: savedError instanceof Error ? savedError.message : 'cannot be opened' }]} onReset={reset} />
    ) : (
      <Text c="dimmed">Opening the saved report…</Text>
    );
  }
  const read = readReportUrl(params, { tz: user.timeZone }, (tz) => dayIn(new Date(), tz));
  if (!read.ok) return <UrlProblems problems={read.problems} onReset={reset} />;
  const update: Update = (patch) =>
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
  return <Report state={read.state} update={update} query={params.toString()} />;
}

/** Rows per page of the report table: the most a report page may hold (the table is virtualised); beyond, it pages by cursor. */
const PAGE_ROWS = 10_000;

function Report({ state, update, query: urlQuery }: { state: ReportUrlState; update: Update; query: string }) {
  const user = useUser();
  const { setTimeZone } = useSession();
  const { tz, from, to, groupBy, filters, sort, compare } = state;
  const [drillRow, setDrillRow] = useState<StatsRow | null>(null);
  const metrics = METRICS.filter((m) => !(user.hideProfit && m.profit));
  const columns = state.columns.filter((c) => metrics.some((m) => m.key === c));
  // The server answers a page of rows (the rest stay in the database); a new query starts at its first page again.
  const [page, setPage] = useState<{ of: string; cursors: string[] }>({ of: '', cursors: [] });
  const pageOf = JSON.stringify({ from, to, tz, groupBy, filters, sort });
  const cursors = page.of === pageOf ? page.cursors : [];
  const cursor = cursors[cursors.length - 1];
  // "Show exact figures" of an approximate answer holds for this query only. Comparing periods always asks for
  // exact figures: an approximate answer's rows (a sub1 × sub2 report's long tail folded per day) cannot be
  // matched across two periods, so the server refuses compare without them.
  const [exactOf, setExactOf] = useState('');
  const exact = exactOf === pageOf || Boolean(compare);
  const query: StatsQuery = {
    from,
    to,
    tz,
    groupBy,
    filters,
    sort,
    limit: PAGE_ROWS,
    ...(cursor ? { cursor } : {}),
    ...(compare ? { compare } : {}),
    ...(exact ? { exact } : {}),
  };
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
  const entityMaps = {
    campaign: nameMap(campaigns.data),
    offer: nameMap(offers.data),
    network: nameMap(networks.data),
    trafficSource: nameMap(sources.data),
  };
  const entityNames = new Map(Object.values(entityMaps).flatMap((m) => [...m]));

  // compare=previous: each row's figures in the previous period, in the order of the rows.
  const previousRows = report.data?.compare?.rows as Array<Record<string, string | number | null> | null> | undefined;
  // An approximate answer (sub1 × sub2 from the pair grain): each row's mark, in the order of the rows.
  const approximation = report.data?.approximation;
  const marks = approximation?.rows;
  const tableColumns = useMemo<ColumnDef<StatsRow>[]>(
    () => [
      ...groupBy.map<ColumnDef<StatsRow>>((dim, level) => ({
        id: dim,
        accessorFn: (row) => groupKey(row, dim).label,
        header: dimensionLabel(dim),
        cell: ({ row }) => {
          const mark = marks?.[row.index];
          if (mark === 'other') return level === 0 ? <em>(other)</em> : '';
          return (
            <>
              {groupKey(row.original, dim).label}
              {level === 0 && <RowMarkBadge mark={mark} />}
            </>
          );
        },
      })),
      ...columns.map<ColumnDef<StatsRow>>((key) => {
        const metric = METRICS.find((m) => m.key === key)!;
        return {
          id: key,
          accessorFn: (row) => row[key],
          header: metric.label,
          meta: { numeric: true },
          cell: ({ row }) => {
            const before = previousRows?.[row.index];
            return (
              <>
                {formatCell(row.original[key], metric.kind, currency)}
                {before && <ChangeNote column={key} current={row.original[key]} previous={before[key]} />}
              </>
            );
          },
        };
      }),
    ],
    [groupBy, columns, currency, previousRows, marks],
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

  /** A click on a row filters by its first level and groups by the dimension the user picks (offered: the next level, else a sensible default). */
  function drillDown(row: StatsRow, into: string) {
    const [first, ...rest] = groupBy;
    const key = groupKey(row, first);
    const next = [...rest.filter((d) => d !== into), into].slice(-3);
    if (TIME_DIMENSIONS.includes(first)) {
      // A period becomes the date range.
      const day = first === 'month' ? `${key.value.slice(0, 7)}-01` : key.value.slice(0, 10);
      update({
        range: 'custom',
        from: day,
        to: first === 'week' ? addDays(day, 7) : first === 'month' ? `${addDays(day, 31).slice(0, 7)}-01` : addDays(day, 1),
        groupBy: next.join(','),
      });
    } else {
      update({ [first]: key.value, groupBy: next.join(',') });
    }
    setDrillRow(null);
  }
  const [firstLevel, ...otherLevels] = groupBy;
  const defaultDrill =
    otherLevels[0] ?? (TIME_DIMENSIONS.includes(firstLevel) ? (firstLevel === 'day' ? 'hour' : 'day') : firstLevel === 'campaign' ? 'day' : 'campaign');
  // Into what a row can drill: not the level it filters, and at most one time dimension once the range is set.
  const drillChoices = DIMENSIONS.filter(
    (d) => d !== firstLevel && !(TIME_DIMENSIONS.includes(firstLevel) && TIME_DIMENSIONS.includes(d) && d !== 'hour' && d !== 'day'),
  );

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

  // The chart's axis is the report's range in its zone (the answer's from/to instants), whatever the points.
  const chartFrom = chartData.data?.from;
  const chartTo = chartData.data?.to;
  const chartRange = useMemo<[number, number] | undefined>(
    () => (chartFrom && chartTo ? [Date.parse(chartFrom) / 1000, Date.parse(chartTo) / 1000] : undefined),
    [chartFrom, chartTo],
  );
  const chart = useMemo(() => {
    const rows = chartData.data?.rows ?? [];
    if (chartBy === 'hour' && chartRange) {
      const series = hourlySeries(rows, chartRange[0], chartRange[1]);
      return {
        x: series.x,
        series: [
          { label: 'Clicks', values: series.clicks, color: '#4c6ef5' },
          { label: 'Conversions', values: series.conversions, color: '#2f9e44' },
        ],
      };
    }
    if (chartBy === 'day') {
      const series = dailySeries(rows, from, to, tz);
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
  }, [chartData.data, chartBy, from, to, tz, chartRange]);

  // Totals have the metric columns only; read by the metric keys the table shows.
  const totals = report.data?.totals as Record<string, string | number | null> | undefined;
  const previousTotals = report.data?.compare?.totals as Record<string, string | number | null> | undefined;
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
            data={REPORT_PRESETS.map(({ value, label }) => ({ value, label }))}
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
            data={allTimeZones(tz)}
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
          <FilterPicker
            base={{ from, to, tz, filters }}
            entities={entityMaps}
            onAdd={(dim, value) => update({ [dim]: [...new Set([...(filters[dim] ?? []), value])].join(',') })}
          />
          <ColumnChooser options={metrics} value={columns} onChange={(v) => update({ cols: v.join(',') })} />
          <Button variant="light" size="xs" onClick={() => void exportCsv().catch((e: Error) => alert(e.message))}>
            Export CSV
          </Button>
          <SavedReports query={urlQuery} />
          <Switch
            label="Compare with the previous period"
            checked={compare}
            onChange={(e) => update({ compare: e.currentTarget.checked ? 'previous' : null })}
            size="sm"
          />
        </Group>
        {compare && report.data?.compare && (
          <Text size="xs" c="dimmed" mt={4} data-testid="compare-period">
            Compared with {new Date(report.data.compare.from).toLocaleString('en-CA', { timeZone: tz, dateStyle: 'short' })} –{' '}
            {new Date(Date.parse(report.data.compare.to) - 1).toLocaleString('en-CA', { timeZone: tz, dateStyle: 'short' })}
          </Text>
        )}
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
              <TimeChart
                x={chart.x}
                series={chart.series}
                height={180}
                title={`Clicks and conversions per ${chartBy}, ${from} to ${addDays(to, -1)} in ${tz}`}
                range={chartRange}
                timeZone={tz}
              />
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
            {approximation && <ApproximationNote approximation={approximation} onExact={() => setExactOf(pageOf)} />}
            <Group gap="xs">
              <Text size="sm" c="dimmed" data-testid="report-page">
                {formatNumber(report.data!.totalRows)} rows
                {report.data!.rows.length < report.data!.totalRows
                  ? `, showing ${formatNumber(report.data!.offset + 1)}–${formatNumber(report.data!.offset + report.data!.rows.length)}` +
                    ` (${formatNumber(Math.max(0, report.data!.totalRows - report.data!.offset - report.data!.rows.length))} more rows)`
                  : ''}
                . Click a row to drill down into a dimension you choose.
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
              onRowClick={setDrillRow}
              stickyFirstColumn
              footer={
                totals && (
                  <Table.Tr data-testid="report-totals">
                    {groupBy.map((dim, i) => (
                      <Table.Td key={dim}>{i === 0 ? 'Total' : ''}</Table.Td>
                    ))}
                    {columns.map((key) => (
                      <Table.Td key={key} ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatCell(totals[key], METRICS.find((m) => m.key === key)!.kind, currency)}
                        {previousTotals && <ChangeNote column={key} current={totals[key]} previous={previousTotals[key]} />}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                )
              }
            />
          </>
        )}
      </QueryState>
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={drillRow !== null}
        onClose={() => setDrillRow(null)}
        title={drillRow ? `Drill into ${groupKey(drillRow, firstLevel).label}` : ''}
      >
        {drillRow && (
          <Stack gap="xs">
            <Text size="sm">Filter by this {dimensionLabel(firstLevel).toLowerCase()} and group by:</Text>
            <Group gap="xs" data-testid="drill-choices">
              {[defaultDrill, ...drillChoices.filter((d) => d !== defaultDrill)].map((d) => (
                <Button key={d} size="xs" variant={d === defaultDrill ? 'filled' : 'light'} onClick={() => drillDown(drillRow, d)}>
                  {dimensionLabel(d)}
                </Button>
              ))}
            </Group>
          </Stack>
        )}
      </Modal>
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
