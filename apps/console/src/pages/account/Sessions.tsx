import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useSession, useUser } from '../../auth/session';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { RowDangerButton } from '../../components/RowButtons';
import { EmptyState, ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useEndSession, useOwnSessions, useSignOutEverywhere } from './queries';

/**
 * The signed-in user's own sessions (every browser it is signed in with), to recognise one that is not
 * its own and end it, or to sign out everywhere. The server keeps at most SESSIONS_PER_USER of them.
 */
export default function Sessions() {
  const user = useUser();
  const { signOut } = useSession();
  const sessions = useOwnSessions();
  const endOne = useEndSession();
  // This session ends too: back to the sign-in screen.
  const endAll = useSignOutEverywhere(() => void signOut());
  return (
    <Stack>
      <PageHeader title="Sessions">
        <Button color="red" variant="light" onClick={() => endAll.mutate()} loading={endAll.isPending}>
          Sign out everywhere
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed">
        The browsers signed in as {user.email}. End any you do not recognise, and change your password.
      </Text>
      <ErrorNote error={endOne.error ?? endAll.error} />
      <ListState query={sessions} rows={sessions.data} empty={<EmptyState title="No sessions">Nothing is signed in.</EmptyState>}>
        {(rows) => (
          <Table striped aria-label="Sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Browser</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" lineClamp={1}>
                        {s.userAgent ?? 'unknown'}
                      </Text>
                      {s.current && <Badge variant="light">this one</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(s.createdAt, user.timeZone)}</Table.Td>
                  <Table.Td>{formatDateTime(s.expiresAt, user.timeZone)}</Table.Td>
                  <Table.Td ta="right">{!s.current && <RowDangerButton onClick={() => endOne.mutate(s.id)}>End session</RowDangerButton>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
    </Stack>
  );
}
