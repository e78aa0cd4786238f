import { TagsInput } from '@mantine/core';
import type { FieldErrors } from './useFieldErrors';

/** The `tags` field every catalog form has: the operator's own labels, its API error cleared on change. */
export function TagsField({ items, value, onChange, errors }: { items: string; value: string[]; onChange: (tags: string[]) => void; errors: FieldErrors }) {
  return (
    <TagsInput
      label="Tags"
      description={`Your own labels, to find and act on several ${items} at once`}
      value={value}
      onChange={(next) => {
        onChange(next);
        errors.clear('tags');
      }}
      error={errors.of('tags')}
    />
  );
}
