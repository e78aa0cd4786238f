import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ChangeList } from './ChangeList';

/**
 * Shown when a save was refused because someone else changed the item since the form was opened (a 409
 * stale edit). "Reload" drops the edits and shows their version; "Review" lists what they changed and keeps
 * the edits, so the next save knowingly replaces theirs.
 */
export function StaleEditNote({
  loaded,
  latest,
  onReload,
  onReview,
}: {
  /** The item as the form loaded it. */
  loaded: Record<string, unknown>;
  /** The item as it is on the server now. */
  latest: Record<string, unknown>;
  onReload: () => void;
  /** The form moves onto the latest version, keeping the user's edits. */
  onReview: () => void;
}) {
  // The version the form started from, kept when "Review" moves the form onto the latest one (which makes
  // `loaded` equal `latest`), so the list still shows what the other person changed.
  const [reviewed, setReviewed] = useState<Record<string, unknown> | null>(null);
  const reviewing = reviewed !== null;
  return (
    <Alert color="orange" title="Changed by someone else" role="alert" data-testid="stale-edit">
      <Stack gap="xs">
        <Text size="sm">
          This item was changed after you opened it, so your changes were not saved. Reload to see the current version, or review what changed and save again.
        </Text>
        {reviewed && <ChangeList before={reviewed} after={latest} />}
        <Group gap="xs">
          <Button size="xs" onClick={onReload}>
            Reload
          </Button>
          {!reviewing && (
            <Button
              size="xs"
              variant="default"
              onClick={() => {
                setReviewed(loaded);
                onReview();
              }}
            >
              Review
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
