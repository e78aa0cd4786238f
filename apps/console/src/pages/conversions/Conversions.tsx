import { Anchor, Badge, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { FilterBar } from '../../components/FilterBar';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { CatalogFilter, DateRangeFilter, ExportCsvLink, Pager, usePagedFilters } from '../../components/paging';
import { EmptyState } from '../../components/states';
import { formatDateTime, formatMoney } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useNetworks } from '../networks/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { CONVERSION_FILTERS, useConversions } from './queries';

export const STATUS_COLORS: Record<string, string> = { approved: 'teal', pending: 'yellow', declined: 'red', refunded: 'grape' };

const STATUSES = Object.keys(STATUS_COLORS);

/** The conversions, paged on the server with their total, filtered in the URL, exportable as CSV. */
export default function Conversions() {
  const user = useUser();
  const staff = user.role !== 'client';
  const paging = usePagedFilters(user.timeZone);
  const { get, filterBy } = paging;
  const conversions = useConversions(paging.query(CONVERSION_FILTERS));
  const campaigns = useCampaigns();
  const networks = useNetworks({ enabled: staff });
  const sources = useTrafficSources({ enabled: staff });
  const campaignNames = nameMap(campaigns.data);
  const page = conversions.data;
  return (
    <Stack>
      <PageHeader title="Conversions">
        <Group gap="sm">
          <TimeZoneNote timeZone={user.timeZone} />
          <ExportCsvLink path="/api/conversions" query={paging.exportQuery(CONVERSION_FILTERS)} filename="conversions.csv" />
        </Group>
      </PageHeader>
      <FilterBar>
        <DateRangeFilter from={get('from')} to={get('to')} onChange={filterBy} />
        <Select label="Status" placeholder="Any status" clearable data={STATUSES} value={get('status') || null} onChange={(v) => filterBy('status', v)} />
        <CatalogFilter label="Campaign" anyLabel="Any campaign" items={campaigns.data} value={get('campaignId')} onChange={(v) => filterBy('campaignId', v)} />
        {staff && (
          <CatalogFilter label="Network" anyLabel="Any network" items={networks.data} value={get('networkId')} onChange={(v) => filterBy('networkId', v)} />
        )}
        {staff && (
          <CatalogFilter
            label="Traffic source"
            anyLabel="Any source"
            items={sources.data}
            value={get('trafficSourceId')}
            onChange={(v) => filterBy('trafficSourceId', v)}
          />
        )}
        <TextInput label="Click id" value={get('clickId')} onChange={(e) => filterBy('clickId', e.currentTarget.value.trim())} />
        <TextInput label="Conversion id" value={get('conversionId')} onChange={(e) => filterBy('conversionId', e.currentTarget.value.trim())} />
        <TestItemsFilter value={get('test')} onChange={(v) => filterBy('test', v)} />
      </FilterBar>
      <ListState
        query={conversions}
        rows={page?.items}
        empty={
          Object.keys(paging.exportQuery(CONVERSION_FILTERS)).length ? (
            <EmptyState title="No conversions match these filters">Clear a filter or widen the date range.</EmptyState>
          ) : (
            <EmptyState title="No conversions yet">
              A conversion appears when a network sends a postback for a click. To try it, open a campaign link, then use "Send test postback" on the network.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={800}>
            <Table striped highlightOnHover aria-label="Conversions" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Campaign</Table.Th>
                  <Table.Th>Goal</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Payout</Table.Th>
                  <Table.Th>Click id</Table.Th>
                  <Table.Th>Trace</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => (
                  <Table.Tr key={c.id} data-testid="conversion-row">
                    <Table.Td>{formatDateTime(c.createdAt, user.timeZone)}</Table.Td>
                    <Table.Td>{campaignNames.get(c.campaignId) ?? c.campaignId}</Table.Td>
                    <Table.Td>{c.goal || 'default'}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[c.status] ?? 'gray'} variant="light">
                        {c.status}
                      </Badge>
                      <TestBadge test={c.isTest} />
                    </Table.Td>
                    <Table.Td ta="right">{formatMoney(c.payout, c.currency)}</Table.Td>
                    <Table.Td ff="monospace">{c.clickId}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/conversions/${c.id}`}>
                        Open trace
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </ListState>
      {page && page.total > 0 && <Pager page={page} shown={page.items.length} label="Conversions pages" onOffset={paging.goTo} onLimit={paging.setLimit} />}
    </Stack>
  );
}
