import { Group, Select } from '@mantine/core';
import { errorFor, WholeNumberField } from './fields';
import type { FraudPolicyInput, PolicySectionProps } from './section-props';

const ACTIONS: Array<{ value: NonNullable<FraudPolicyInput['action']>; label: string }> = [
  { value: 'flag', label: 'Flag (forward as usual)' },
  { value: 'hold', label: 'Hold for review' },
  { value: 'reject', label: 'Reject (decline)' },
  { value: 'dont_forward', label: "Don't forward" },
];

/** The scores: where a click or conversion is flagged, and where the policy's action applies. */
export function ScoresSection({ policy, onChange, errors }: PolicySectionProps) {
  return (
    <Group grow align="flex-start">
      <WholeNumberField
        label="Flag score"
        description="At or above: flagged (counted as suspicious)"
        min={0}
        max={100}
        value={policy.flagScore}
        onValue={(v) => v !== null && onChange({ flagScore: v })}
        error={errorFor(errors, 'flagScore')}
      />
      <WholeNumberField
        label="Action score"
        description="At or above: the action below"
        min={0}
        max={100}
        value={policy.actionScore}
        onValue={(v) => v !== null && onChange({ actionScore: v })}
        error={errorFor(errors, 'actionScore')}
      />
      <Select
        label="Action"
        description="What happens at the action score"
        data={ACTIONS}
        value={policy.action ?? 'flag'}
        allowDeselect={false}
        onChange={(v) => v && onChange({ action: v as FraudPolicyInput['action'] })}
        error={errorFor(errors, 'action')}
      />
    </Group>
  );
}
