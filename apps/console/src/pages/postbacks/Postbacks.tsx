import { Anchor, Badge, Code, Popover, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { FilterBar } from '../../components/FilterBar';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { useUrlFilters } from '../../components/useUrlFilters';
import { EmptyState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useNetworks } from '../networks/queries';
import { usePostbacks } from './queries';
import { explainOutcome } from '../../lib/postback-reasons';

const OUTCOMES = ['accepted', 'duplicate', 'updated', 'ignored', 'rejected', 'unattributed'];
const OUTCOME_COLORS: Record<string, string> = {
  accepted: 'teal',
  updated: 'blue',
  duplicate: 'gray',
  ignored: 'orange',
  rejected: 'red',
  unattributed: 'yellow',
};

export default function Postbacks() {
  const user = useUser();
  const [params, set] = useUrlFilters();
  const outcome = params.get('outcome') ?? '';
  const networkId = params.get('networkId') ?? '';
  const clickId = params.get('clickId') ?? '';
  const test = params.get('test') ?? '';
  const postbacks = usePostbacks({ outcome, clickId, test });
  const networks = useNetworks();
  const names = nameMap(networks.data);
  const rows = (postbacks.data ?? []).filter((p) => !networkId || p.networkId === networkId);
  return (
    <Stack>
      <PageHeader title="Received postbacks">
        <TimeZoneNote timeZone={user.timeZone} />
      </PageHeader>
      <FilterBar>
        <Select label="Outcome" clearable data={OUTCOMES} value={outcome || null} onChange={(v) => set('outcome', v)} />
        <Select
          label="Network"
          clearable
          data={(networks.data ?? []).map((n) => ({ value: n.id, label: n.name }))}
          value={networkId || null}
          onChange={(v) => set('networkId', v)}
        />
        <TextInput label="Click id" value={clickId} onChange={(e) => set('clickId', e.currentTarget.value.trim())} />
        <TestItemsFilter value={test} onChange={(v) => set('test', v)} />
      </FilterBar>
      <ListState
        query={postbacks}
        rows={rows}
        empty={
          <EmptyState title="No postbacks received" action={{ label: 'Open networks', to: '/setup/networks' }}>
            Paste a network's postback URL into that network's settings, or use "Send test postback" on the network to see one arrive.
          </EmptyState>
        }
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label="Received postbacks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Network</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>What it means / what to do</Table.Th>
                  <Table.Th>Click id</Table.Th>
                  <Table.Th>Parameters</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((p) => {
                  const explained = explainOutcome(p.outcome, p.reason);
                  return (
                    <Table.Tr key={p.id} data-testid="postback-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(p.receivedAt, user.timeZone)}</Table.Td>
                      <Table.Td>{p.networkId ? (names.get(p.networkId) ?? p.networkId) : 'generic'}</Table.Td>
                      <Table.Td>
                        <Badge color={OUTCOME_COLORS[p.outcome] ?? 'gray'} variant="light">
                          {p.outcome}
                        </Badge>
                        <TestBadge test={p.isTest} />
                      </Table.Td>
                      <Table.Td maw={380}>
                        {explained ? (
                          <Text size="sm">
                            <b>{explained.what}</b> {explained.todo}
                          </Text>
                        ) : p.conversionId ? (
                          <Anchor component={Link} to={`/conversions/${p.conversionId}`} size="sm">
                            Open conversion trace
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td ff="monospace" fz="xs">
                        {p.clickId ?? '—'}
                      </Table.Td>
                      <Table.Td>
                        <Popover width={420} position="left" withArrow>
                          <Popover.Target>
                            <Anchor component="button" size="sm">
                              Show
                            </Anchor>
                          </Popover.Target>
                          <Popover.Dropdown>
                            <Code block>{JSON.stringify(p.params, null, 2)}</Code>
                          </Popover.Dropdown>
                        </Popover>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </ListState>
    </Stack>
  );
}
