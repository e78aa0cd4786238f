import { Badge, Select } from '@mantine/core';

/** The logs' "test items" filter: empty shows everything, `false` hides the test tools' items, `true` shows only them. */
export function TestItemsFilter({ value, onChange }: { value: string; onChange: (value: string | null) => void }) {
  return (
    <Select
      label="Test items"
      clearable
      placeholder="shown"
      data={[
        { value: 'false', label: 'Hidden' },
        { value: 'true', label: 'Only test items' },
      ]}
      value={value || null}
      onChange={onChange}
    />
  );
}

/** Marks a row the console's test tools made. */
export function TestBadge({ test }: { test: boolean }) {
  return test ? (
    <Badge color="grape" variant="outline" ml={4} data-testid="test-badge">
      test
    </Badge>
  ) : null;
}
