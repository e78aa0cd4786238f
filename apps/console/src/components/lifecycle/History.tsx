import { Stack, Table, Text } from '@mantine/core';
import { useUser } from '../../auth/session';
import { formatDateTime } from '../../lib/format';
import { actorName, asFields } from '../../lib/audit';
import { useHistory, type LifecycleKind } from '../../lib/lifecycle';
import { formatTotal } from '../paging';
import { QueryState } from '../states';
import { ChangeList } from './ChangeList';

/** One item's history from the audit log, newest first: who did what, when, and which fields changed. */
export function History({ kind, id }: { kind: LifecycleKind; id: string }) {
  const user = useUser();
  const history = useHistory(kind, id);
  const entries = history.data?.items ?? [];
  const cut = history.data && history.data.total > entries.length;
  return (
    <QueryState loading={history.isLoading} error={history.error}>
      {cut && (
        <Text size="sm" data-testid="history-cut">
          The {entries.length} newest of {formatTotal(history.data!)} changes.
        </Text>
      )}
      {entries.length === 0 ? (
        <Text size="sm">No changes recorded yet.</Text>
      ) : (
        <Table aria-label="History" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid="history-entry">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at, user.timeZone)}</Table.Td>
                <Table.Td>{actorName(e.actor)}</Table.Td>
                <Table.Td>
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>
                      {e.action}
                    </Text>
                    <ChangeList before={asFields(e.before)} after={asFields(e.after)} />
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </QueryState>
  );
}
