import { Alert, Anchor, Badge, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { RowActionButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { useUrlFilters } from '../../components/useUrlFilters';
import { EmptyState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { sourceHealthText } from '../../lib/source-health';
import { useTrafficSources } from '../traffic-sources/queries';
import { useDeliveries, useReplayDeliveries, useRetryDelivery } from './queries';
import { ResendOutcome } from '../../components/ResendOutcome';

export default function Deliveries() {
  const user = useUser();
  const [params, set] = useUrlFilters();
  const status = params.get('status') ?? '';
  const trafficSourceId = params.get('trafficSourceId') ?? '';
  const test = params.get('test') ?? '';
  const deliveries = useDeliveries({ status, trafficSourceId, test });
  const sources = useTrafficSources();
  const names = nameMap(sources.data);
  const failing = (sources.data ?? []).filter((s) => s.failing || s.deadDeliveries > 0);
  const retry = useRetryDelivery();
  const [range, setRange] = useState({ from: '', to: '' });
  const replay = useReplayDeliveries();
  return (
    <Stack>
      <PageHeader title="Deliveries">
        <TimeZoneNote timeZone={user.timeZone} />
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
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Status" clearable data={['pending', 'delivered', 'dead']} value={status || null} onChange={(v) => set('status', v)} />
          <TestItemsFilter value={test} onChange={(v) => set('test', v)} />
          <Select
            label="Traffic source"
            clearable
            data={(sources.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={trafficSourceId || null}
            onChange={(v) => set('trafficSourceId', v)}
          />
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
        rows={deliveries.data}
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
                      <Badge color={d.status === 'delivered' ? 'teal' : d.status === 'dead' ? 'red' : 'yellow'}>{d.status}</Badge>
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
    </Stack>
  );
}
