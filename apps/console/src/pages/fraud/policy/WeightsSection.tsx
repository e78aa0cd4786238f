import { SimpleGrid } from '@mantine/core';
import { errorFor, WholeNumberField } from './fields';
import type { PolicySectionProps } from './section-props';

/** Points per reason: what each signal adds to the score when it fires; 0 turns it off. */
export function WeightsSection({ policy, onChange, errors }: PolicySectionProps) {
  const weights = policy.weights ?? {};
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      {Object.entries(weights).map(([code, weight]) => (
        <WholeNumberField
          key={code}
          label={code}
          min={0}
          max={100}
          value={weight}
          onValue={(v) => v !== null && onChange({ weights: { ...weights, [code]: v } })}
          error={errorFor(errors, `weights.${code}`)}
        />
      ))}
    </SimpleGrid>
  );
}
