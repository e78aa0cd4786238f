import { Group, Select } from '@mantine/core';
import { errorFor, WholeNumberField } from './fields';
import type { PolicySectionProps } from './section-props';

/** What becomes of a hold nobody reviews, and when. */
export function HoldSection({ policy, onChange, errors }: PolicySectionProps) {
  return (
    <Group grow align="flex-start">
      <WholeNumberField
        label="Hold expires after (hours)"
        min={1}
        max={24 * 90}
        value={policy.holdHours}
        onValue={(v) => v !== null && onChange({ holdHours: v })}
        error={errorFor(errors, 'holdHours')}
      />
      <Select
        label="An expired hold is"
        data={[
          { value: 'reject', label: 'Rejected (declined)' },
          { value: 'release', label: 'Released (forwarded)' },
        ]}
        value={policy.holdExpiry ?? 'reject'}
        allowDeselect={false}
        onChange={(v) => v && onChange({ holdExpiry: v as 'reject' | 'release' })}
        error={errorFor(errors, 'holdExpiry')}
      />
    </Group>
  );
}
