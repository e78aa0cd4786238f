import { Button, Group, Modal, Text } from '@mantine/core';
import { ErrorNote } from '../states';

/**
 * Asks before deleting. The server deletes only what nothing refers to; otherwise it answers 409 naming
 * what refers to it, shown here, with archiving as the way out.
 */
export function DeleteDialog({
  name,
  opened,
  onClose,
  onDelete,
  onArchive,
  pending,
  error,
}: {
  name: string;
  opened: boolean;
  onClose: () => void;
  onDelete: () => void;
  onArchive?: () => void;
  pending: boolean;
  error: unknown;
}) {
  const refused = error instanceof Error && 'status' in error && (error as { status: number }).status === 409;
  return (
    <Modal opened={opened} onClose={onClose} title={`Delete ${name}?`} closeButtonProps={{ 'aria-label': 'Close' }}>
      <Text size="sm" mb="sm">
        Deleting cannot be undone. Only what nothing refers to can be deleted; archive it instead to keep its data and reports.
      </Text>
      <ErrorNote error={error} />
      <Group mt="md" justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        {refused && onArchive ? (
          <Button onClick={onArchive}>Archive instead</Button>
        ) : (
          <Button color="red.9" onClick={onDelete} loading={pending}>
            Delete
          </Button>
        )}
      </Group>
    </Modal>
  );
}
