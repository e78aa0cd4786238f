import { Code, List, Text } from '@mantine/core';
import { diffFields, showValue } from '../../lib/diff';

/** The fields that differ between two versions of an item, as "field: before → after" lines. */
export function ChangeList({ before, after }: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }) {
  const changes = diffFields(before, after);
  if (!changes.length)
    return (
      <Text size="sm" c="dimmed">
        No field changed.
      </Text>
    );
  return (
    <List size="sm" spacing={2}>
      {changes.map((c) => (
        <List.Item key={c.field}>
          <Text span fw={600} size="sm">
            {c.field}
          </Text>
          : <Code>{showValue(c.before)}</Code> → <Code>{showValue(c.after)}</Code>
        </List.Item>
      ))}
    </List>
  );
}
