import { Badge } from '@mantine/core';

/** An item's lifecycle state as a badge: nothing for an item in use, "paused", "archived" or "disabled" otherwise. */
export function StateBadge({ paused, archived, disabled }: { paused?: boolean | null; archived?: boolean | null; disabled?: boolean | null }) {
  if (disabled)
    return (
      <Badge color="gray" variant="light">
        disabled
      </Badge>
    );
  if (archived)
    return (
      <Badge color="gray" variant="light">
        archived
      </Badge>
    );
  if (paused)
    return (
      <Badge color="orange" variant="light">
        paused
      </Badge>
    );
  return null;
}

/** An item's tags, as small outlined badges. */
export function TagBadges({ tags }: { tags?: readonly string[] | null }) {
  if (!tags?.length) return null;
  return (
    <>
      {tags.map((t) => (
        <Badge key={t} variant="outline" color="gray" size="sm" tt="none" mr={4}>
          {t}
        </Badge>
      ))}
    </>
  );
}
