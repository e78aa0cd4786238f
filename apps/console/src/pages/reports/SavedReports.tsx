import { Anchor, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorNote } from '../../components/states';
import { useSavedReportMutations, useSavedReports, type SavedReport } from './queries';

/**
 * The user's saved reports: save the report on screen under a name (its URL state), open one
 * (`?saved=<id>`, a link to keep or share with yourself), rename or delete.
 */
export function SavedReports({ query }: { query: string }) {
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const list = useSavedReports();
  const { save, rename, remove } = useSavedReportMutations();
  return (
    <>
      <Button variant="light" size="xs" onClick={() => setOpened(true)}>
        Saved reports{list.data?.length ? ` (${list.data.length})` : ''}
      </Button>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={() => setOpened(false)} title="Saved reports" size="lg">
        <Stack>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save.mutate({ name: name.trim(), query }, { onSuccess: () => setName('') });
            }}
          >
            <Group align="end">
              <TextInput
                label="Save this report as"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                required
                style={{ flex: 1 }}
                maxLength={100}
              />
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </form>
          <ErrorNote error={save.error ?? rename.error ?? remove.error} />
          {list.data && list.data.length === 0 && <Text c="dimmed">No saved reports yet.</Text>}
          {list.data && list.data.length > 0 && (
            <Table aria-label="Saved reports">
              <Table.Tbody>
                {list.data.map((report) => (
                  <SavedRow
                    key={report.id}
                    report={report}
                    onOpen={() => setOpened(false)}
                    onRename={(newName) => rename.mutate({ id: report.id, name: newName })}
                    onDelete={() => remove.mutate(report.id)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Modal>
    </>
  );
}

function SavedRow({ report, onOpen, onRename, onDelete }: { report: SavedReport; onOpen: () => void; onRename: (name: string) => void; onDelete: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Table.Tr>
      <Table.Td>
        {editing === null ? (
          <Anchor component={Link} to={`?saved=${report.id}`} onClick={onOpen}>
            {report.name}
          </Anchor>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (editing.trim()) onRename(editing.trim());
              setEditing(null);
            }}
          >
            <TextInput aria-label={`New name for ${report.name}`} size="xs" value={editing} onChange={(e) => setEditing(e.currentTarget.value)} autoFocus />
          </form>
        )}
      </Table.Td>
      <Table.Td ta="right">
        <Group gap={4} justify="end" wrap="nowrap">
          <Button variant="subtle" size="compact-xs" onClick={() => setEditing(editing === null ? report.name : null)} aria-label={`Rename ${report.name}`}>
            Rename
          </Button>
          <Button variant="subtle" color="red" size="compact-xs" onClick={onDelete} aria-label={`Delete ${report.name}`}>
            Delete
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
