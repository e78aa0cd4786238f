import { Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useUser } from '../../auth/session';
import { FilterBar } from '../../components/FilterBar';
import { ChangeList } from '../../components/lifecycle';
import { ListState } from '../../components/ListState';
import { PageHeader, TimeZoneNote } from '../../components/PageHeader';
import { EmptyState } from '../../components/states';
import { DateRangeFilter, ExportCsvLink, Pager, usePagedFilters } from '../../components/paging';
import { actorName, asFields } from '../../lib/audit';
import { formatDateTime } from '../../lib/format';
import { AUDIT_FILTERS, useAuditLog } from './queries';

const ENTITY_TYPES = [
  { value: 'network', label: 'Networks' },
  { value: 'offer', label: 'Offers' },
  { value: 'trafficSource', label: 'Traffic sources' },
  { value: 'campaign', label: 'Campaigns' },
  { value: 'user', label: 'Users' },
  { value: 'apiKey', label: 'API keys' },
  { value: 'currencyRate', label: 'Currency rates' },
];
const KIND_NAMES = new Map(ENTITY_TYPES.map((t) => [t.value, t.label.replace(/s$/, '').toLowerCase()]));

const ACTIONS = [
  'create',
  'edit',
  'pause',
  'resume',
  'archive',
  'restore',
  'delete',
  'clone',
  'tag',
  'untag',
  'disable',
  'enable',
  'revoke',
  'expire',
  'set_goal',
  'add_api_key',
  'revoke_api_key',
  'add_signing_secret',
  'revoke_signing_secret',
];

/** Every change made to the setup and the accounts: who, when, what, before and after; filtered and paged in the URL. */
export default function AuditLog() {
  const user = useUser();
  const paging = usePagedFilters(user.timeZone);
  const { get, filterBy } = paging;
  const log = useAuditLog(paging.query(AUDIT_FILTERS));
  const page = log.data;
  return (
    <Stack>
      <PageHeader title="Audit log">
        <Group gap="sm">
          <TimeZoneNote timeZone={user.timeZone} />
          <ExportCsvLink path="/api/audit-log" query={paging.exportQuery(AUDIT_FILTERS)} filename="audit-log.csv" />
        </Group>
      </PageHeader>
      <FilterBar>
        <DateRangeFilter from={get('from')} to={get('to')} onChange={filterBy} />
        <Select
          label="Kind"
          placeholder="Any kind"
          clearable
          data={ENTITY_TYPES}
          value={get('entityType') || null}
          onChange={(v) => filterBy('entityType', v)}
        />
        <Select label="Action" placeholder="Any action" clearable data={ACTIONS} value={get('action') || null} onChange={(v) => filterBy('action', v)} />
        <TextInput
          label="Item id"
          placeholder="Any item"
          value={get('entityId')}
          onChange={(e) => filterBy('entityId', e.currentTarget.value.trim() || null)}
        />
      </FilterBar>
      <ListState query={log} rows={page?.items} empty={<EmptyState title="No changes recorded">Changes to the setup and accounts show up here.</EmptyState>}>
        {(rows) => (
          <>
            <Table striped aria-label="Audit log" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>Changes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => {
                  const after = asFields(r.after);
                  const before = asFields(r.before);
                  const name = (after?.name ?? before?.name ?? after?.email ?? before?.email ?? after?.label ?? before?.label) as string | undefined;
                  return (
                    <Table.Tr key={r.id} data-testid="audit-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.at, user.timeZone)}</Table.Td>
                      <Table.Td>{actorName(r.actor)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <strong>{r.action}</strong> {KIND_NAMES.get(r.entityType) ?? r.entityType} {name ?? r.entityId.slice(0, 8)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <ChangeList before={before} after={after} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </>
        )}
      </ListState>
      {page && page.total > 0 && <Pager page={page} shown={page.items.length} label="Audit log pages" onOffset={paging.goTo} onLimit={paging.setLimit} />}
    </Stack>
  );
}
