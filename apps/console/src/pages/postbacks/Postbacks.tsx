import { Anchor, Badge, Code, Group, Popover, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { FilterBar } from '../../components/FilterBar';
import { DateRangeFilter, ExportCsvLink, Pager, usePagedFilters } from '../../components/paging';
import { TestBadge, TestItemsFilter } from '../../components/TestItemsFilter';
import { EmptyState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useNetworks } from '../networks/queries';
import { POSTBACK_FILTERS, usePostbacks, type PostbackEntry } from './queries';
import { explainOutcome, REASON_LABELS, REASONS } from '../../lib/postback-reasons';

const OUTCOME_COLORS: Record<PostbackEntry['outcome'], string> = {
  accepted: 'teal',
  updated: 'blue',
  duplicate: 'gray',
  ignored: 'orange',
  rejected: 'red',
  unattributed: 'yellow',
  refused: 'red',
};
const OUTCOMES = Object.keys(OUTCOME_COLORS);

export default function Postbacks() {
  const user = useUser();
  const paged = usePagedFilters(user.timeZone);
  const postbacks = usePostbacks(paged.query(POSTBACK_FILTERS));
  const networks = useNetworks();
  const names = nameMap(networks.data);
  const page = postbacks.data;
  return (
    <Stack>
      <PageHeader title="Received postbacks">
        <TimeZoneNote timeZone={user.timeZone} />
      </PageHeader>
      <FilterBar>
        <DateRangeFilter from={paged.get('from')} to={paged.get('to')} onChange={paged.filterBy} />
        <Select label="Outcome" clearable data={OUTCOMES} value={paged.get('outcome') || null} onChange={(v) => paged.filterBy('outcome', v)} />
        <Select
          label="Reason"
          clearable
          searchable
          data={REASONS.map((r) => ({ value: r, label: REASON_LABELS[r] }))}
          value={paged.get('reason') || null}
          onChange={(v) => paged.filterBy('reason', v)}
        />
        <Select
          label="Network"
          clearable
          data={(networks.data ?? []).map((n) => ({ value: n.id, label: n.name }))}
          value={paged.get('networkId') || null}
          onChange={(v) => paged.filterBy('networkId', v)}
        />
        <TextInput
          label="Search"
          description="Click id, txid or address"
          value={paged.get('q')}
          onChange={(e) => paged.filterBy('q', e.currentTarget.value.trim())}
        />
        <TestItemsFilter value={paged.get('test')} onChange={(v) => paged.filterBy('test', v)} />
      </FilterBar>
      <ListState
        query={postbacks}
        rows={page?.items}
        empty={
          <EmptyState title="No postbacks received" action={{ label: 'Open networks', to: '/setup/networks' }}>
            Nothing matches these filters. Paste a network's postback URL into that network's settings, or use "Send test postback" on the network to see one
            arrive.
          </EmptyState>
        }
      >
        {(rows) => (
          <Stack>
            <Group justify="flex-end">
              <ExportCsvLink path="/api/postbacks" query={paged.exportQuery(POSTBACK_FILTERS)} filename="postbacks.csv" />
            </Group>
            <Table.ScrollContainer minWidth={1000}>
              <Table striped aria-label="Received postbacks">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Network</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                    <Table.Th>Reason</Table.Th>
                    <Table.Th>What it means / what to do</Table.Th>
                    <Table.Th>Click id</Table.Th>
                    <Table.Th>Address</Table.Th>
                    <Table.Th>Details</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((p) => {
                    const explained = explainOutcome(p.outcome, p.reason, p.reasonCode);
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
                        <Table.Td data-testid="postback-reason">{p.reasonCode ? REASON_LABELS[p.reasonCode] : '—'}</Table.Td>
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
                        <Table.Td ff="monospace" fz="xs">
                          {p.ip ?? '—'}
                        </Table.Td>
                        <Table.Td>
                          <Popover width={420} position="left" withArrow>
                            <Popover.Target>
                              <Anchor component="button" size="sm">
                                Show
                              </Anchor>
                            </Popover.Target>
                            <Popover.Dropdown>
                              {p.httpStatus !== null && (
                                <Text size="sm" mb="xs">
                                  Answered {p.httpStatus} to {p.method} {p.path}
                                  {p.reason ? ` (${p.reason})` : ''}
                                </Text>
                              )}
                              <Text size="xs" c="dimmed" mb={4}>
                                Parameters as received; credentials are masked (***).
                              </Text>
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
          </Stack>
        )}
      </ListState>
      {page && <Pager page={page} shown={page.items.length} label="Received postbacks pages" onOffset={paged.goTo} onLimit={paged.setLimit} />}
    </Stack>
  );
}
