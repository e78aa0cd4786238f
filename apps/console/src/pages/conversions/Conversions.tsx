import { Anchor, Badge, Select, Stack, Table, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { FilterBar } from '../../components/FilterBar';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { useUrlFilters } from '../../components/useUrlFilters';
import { EmptyState } from '../../components/states';
import { formatDateTime, formatMoney } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useConversions } from './queries';

export const STATUS_COLORS: Record<string, string> = { approved: 'teal', pending: 'yellow', declined: 'red', refunded: 'grape' };

export default function Conversions() {
  const user = useUser();
  const [params, set] = useUrlFilters();
  const filter = {
    clickId: params.get('clickId') ?? '',
    conversionId: params.get('conversionId') ?? '',
    campaignId: params.get('campaignId') ?? '',
    test: params.get('test') ?? '',
  };
  const conversions = useConversions(filter);
  const campaigns = useCampaigns();
  const campaignNames = nameMap(campaigns.data);
  return (
    <Stack>
      <PageHeader title="Conversions">
        <TimeZoneNote timeZone={user.timeZone} />
      </PageHeader>
      <FilterBar>
        <Select
          label="Campaign"
          clearable
          data={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          value={filter.campaignId || null}
          onChange={(v) => set('campaignId', v)}
        />
        <TextInput label="Click id" value={filter.clickId} onChange={(e) => set('clickId', e.currentTarget.value.trim())} />
        <TextInput label="Conversion id" value={filter.conversionId} onChange={(e) => set('conversionId', e.currentTarget.value.trim())} />
        <TestItemsFilter value={filter.test} onChange={(v) => set('test', v)} />
      </FilterBar>
      <ListState
        query={conversions}
        rows={conversions.data}
        empty={
          <EmptyState title="No conversions yet">
            A conversion appears when a network sends a postback for a click. To try it, open a campaign link, then use "Send test postback" on the network.
          </EmptyState>
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
    </Stack>
  );
}
