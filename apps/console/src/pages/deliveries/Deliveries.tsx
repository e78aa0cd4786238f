import { Alert, Anchor, Badge, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { RowActionButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { CatalogFilter, DateRangeFilter, ExportCsvLink, Pager, usePagedFilters } from '../../components/paging';
import { EmptyState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useNetworks } from '../networks/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { DELIVERY_FILTERS, useDeliveries, useReplayDeliveries, useRetryDelivery } from './queries';
import { sourceHealthText } from '../../lib/source-health';
import { ResendOutcome } from '../../components/ResendOutcome';

export default function Deliveries() {
  const user = useUser();
  const staff = user.role !== 'client';
  const paging = usePagedFilters(user.timeZone);
  const { get, filterBy } = paging;
  const status = get('status');
  const trafficSourceId = get('trafficSourceId');
  const deliveries = useDeliveries(paging.query(DELIVERY_FILTERS));
  const page = deliveries.data;
  const sources = useTrafficSources();
  const campaigns = useCampaigns();
  const networks = useNetworks({ enabled: staff });
  const names = nameMap(sources.data);
  const failing = (sources.data ?? []).filter((s) => s.failing || s.deadDeliveries > 0);
  const retry = useRetryDelivery();
  const [range, setRange] = useState({ from: '', to: '' });
  const replay = useReplayDeliveries();
  return (
    <Stack>
      <PageHeader title="Deliveries">
        <Group gap="sm">
          <TimeZoneNote timeZone={user.timeZone} />
          <ExportCsvLink path="/api/deliveries" query={paging.exportQuery(DELIVERY_FILTERS)} filename="deliveries.csv" />
        </Group>
      </PageHeader>
      {failing.map((s) => (
        <Alert key={s.id} color={s.failing ? 'red' : 'yellow'} title={`${s.name}: ${s.failing ? 'failing' : `${s.deadDeliveries} dead deliveries`}`}>
          {s.failing ? `${sourceHealthText(s)} (failing since ${formatDateTime(s.failingSince, user.timeZone)}). ` : ''}Check the source's URL with "Send test
          delivery" in{' '}
          <Anchor component={Link} to="/setup/traffic-sources">
            Traffic sources
          </Anchor>
          , then replay the range below.
        </Alert>
      ))}
      <Paper withBorder p="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <DateRangeFilter from={get('from')} to={get('to')} onChange={filterBy} />
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={['pending', 'delivered', 'dead', 'not_sent']}
            value={status || null}
            onChange={(v) => filterBy('status', v)}
          />
          <CatalogFilter
            label="Traffic source"
            anyLabel="Any source"
            items={sources.data}
            value={get('trafficSourceId')}
            onChange={(v) => filterBy('trafficSourceId', v)}
          />
          <CatalogFilter
            label="Campaign"
            anyLabel="Any campaign"
            items={campaigns.data}
            value={get('campaignId')}
            onChange={(v) => filterBy('campaignId', v)}
          />
          {staff && (
            <CatalogFilter label="Network" anyLabel="Any network" items={networks.data} value={get('networkId')} onChange={(v) => filterBy('networkId', v)} />
          )}
          <TestItemsFilter value={get('test')} onChange={(v) => filterBy('test', v)} />
        </SimpleGrid>
        {trafficSourceId && (
          <Group align="end" mt="sm">
            <TextInput
              label={`Replay from (${user.timeZone === 'UTC' ? 'UTC' : 'your browser time'})`}
              type="datetime-local"
              value={range.from}
              onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
            />
            <TextInput label="to" type="datetime-local" value={range.to} onChange={(e) => setRange({ ...range, to: e.currentTarget.value })} />
            <Button
              onClick={() =>
                replay.mutate({
                  trafficSourceId,
                  from: new Date(range.from).toISOString(),
                  to: new Date(range.to).toISOString(),
                  ...(status ? { status } : {}),
                })
              }
              disabled={!range.from || !range.to}
              loading={replay.isPending}
            >
              Replay {status || 'all'} deliveries of this source
            </Button>
          </Group>
        )}
        <ResendOutcome retry={retry} replay={replay} />
      </Paper>
      <ListState
        query={deliveries}
        rows={page?.items}
        empty={
          <EmptyState title="No deliveries">
            A delivery is written when a conversion is owed to the campaign's traffic source. Set a postback URL on the traffic source to forward conversions.
          </EmptyState>
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label="Deliveries" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Traffic source</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Attempts</Table.Th>
                  <Table.Th ta="right">Last answer</Table.Th>
                  <Table.Th>Request</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((d) => (
                  <Table.Tr key={d.id} data-testid="delivery-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt, user.timeZone)}</Table.Td>
                    <Table.Td>{names.get(d.trafficSourceId) ?? d.trafficSourceId}</Table.Td>
                    <Table.Td>
                      <Badge color={d.status === 'delivered' ? 'teal' : d.status === 'dead' ? 'red' : d.status === 'not_sent' ? 'gray' : 'yellow'}>
                        {d.status === 'not_sent' ? 'not sent' : d.status}
                      </Badge>
                      {d.alert && (
                        <Badge color="red" variant="outline" title="The platform refused the credentials: fix the target's settings, then replay">
                          credentials refused
                        </Badge>
                      )}
                      <TestBadge test={d.isTest} />
                    </Table.Td>
                    <Table.Td ta="right">{d.attempts}</Table.Td>
                    <Table.Td ta="right">{d.lastStatusCode ?? d.lastError ?? '—'}</Table.Td>
                    <Table.Td maw={360}>
                      <Code style={{ wordBreak: 'break-all' }}>
                        {d.method} {d.url}
                      </Code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <RowActionButton onClick={() => retry.mutate(d.id)}>Retry</RowActionButton>
                        <Anchor component={Link} to={`/conversions/${d.conversionId}`} size="sm">
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
      {page && page.total > 0 && <Pager page={page} shown={page.items.length} label="Deliveries pages" onOffset={paging.goTo} onLimit={paging.setLimit} />}
    </Stack>
  );
}
