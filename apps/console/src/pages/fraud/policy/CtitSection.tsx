import { Group } from '@mantine/core';
import { errorFor, WholeNumberField } from './fields';
import type { PolicySectionProps } from './section-props';

/** Click-to-conversion time bounds: faster is click injection, slower click spam. Empty leaves a side open. */
export function CtitSection({ policy, onChange, errors }: PolicySectionProps) {
  return (
    <Group grow align="flex-start">
      <WholeNumberField
        label="Minimum CTIT (seconds)"
        description="Faster conversions fire ctit_too_short; empty: off"
        nullable
        min={0}
        value={policy.ctitMinSeconds}
        onValue={(v) => onChange({ ctitMinSeconds: v })}
        error={errorFor(errors, 'ctitMinSeconds')}
      />
      <WholeNumberField
        label="Maximum CTIT (seconds)"
        description="Slower conversions fire ctit_too_long; empty: off"
        nullable
        min={0}
        value={policy.ctitMaxSeconds}
        onValue={(v) => onChange({ ctitMaxSeconds: v })}
        error={errorFor(errors, 'ctitMaxSeconds')}
      />
    </Group>
  );
}
