import { Button, Group, Paper, Popover, TagsInput, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorNote } from '../states';
import type { BulkAction } from '../../lib/lifecycle';
import type { RowSelection } from './useRowSelection';

/**
 * The bar over a list when rows are ticked: the bulk actions this kind has (pause, resume, archive or
 * restore, tag), applied to every ticked row at once. The selection is cleared once the action is done.
 */
export function BulkBar({
  selection,
  actions,
  run,
  pending,
  error,
}: {
  selection: RowSelection;
  actions: readonly BulkAction[];
  run: (action: BulkAction, ids: string[], tags?: string[]) => Promise<unknown>;
  pending: boolean;
  error: unknown;
}) {
  const [tags, setTags] = useState<string[]>([]);
  const [tagging, setTagging] = useState(false);
  const count = selection.selected.length;
  if (!count && !error) return null;
  const apply = async (action: BulkAction, withTags?: string[]) => {
    await run(action, selection.selected, withTags);
    selection.clear();
  };
  const tagWith = (action: 'tag' | 'untag') =>
    void apply(action, tags)
      .then(() => {
        setTags([]);
        setTagging(false);
      })
      .catch(() => undefined);
  const button = (action: BulkAction, label: string) =>
    actions.includes(action) && (
      <Button size="xs" variant="light" onClick={() => void apply(action).catch(() => undefined)} loading={pending}>
        {label}
      </Button>
    );
  return (
    <Paper withBorder p="xs" role="region" aria-label="Bulk actions">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {count} selected
        </Text>
        {button('pause', 'Pause')}
        {button('resume', 'Resume')}
        {button('archive', 'Archive')}
        {button('restore', 'Restore')}
        {actions.includes('tag') && (
          <Popover opened={tagging} onChange={setTagging} trapFocus withinPortal>
            <Popover.Target>
              <Button size="xs" variant="light" onClick={() => setTagging((o) => !o)}>
                Tag…
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <Group align="end">
                <TagsInput label="Tags" value={tags} onChange={setTags} placeholder="Type a tag, then Enter" w={260} />
                <Button size="xs" disabled={!tags.length} onClick={() => tagWith('tag')}>
                  Add tags
                </Button>
                {actions.includes('untag') && (
                  <Button size="xs" variant="default" disabled={!tags.length} onClick={() => tagWith('untag')}>
                    Remove tags
                  </Button>
                )}
              </Group>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
      <ErrorNote error={error} />
    </Paper>
  );
}
