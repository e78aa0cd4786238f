import { MultiSelect, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { DIMENSIONS } from '../../../lib/stats';
import type { FraudPolicyInput, PolicySectionProps } from './section-props';

type Velocity = NonNullable<FraudPolicyInput['velocity']>;
type Duplicates = NonNullable<FraudPolicyInput['duplicates']>;
type SubParam = NonNullable<Velocity['subParams']>[number];

/** The sub ids a click carries, as the reports name them. */
const SUB_PARAMS = DIMENSIONS.filter((d): d is SubParam => /^sub\d+$/.test(d));

/** One threshold: a whole number of events in the window, or empty for off (null). */
function Threshold(props: { label: string; description: string; value: number | null | undefined; error?: string; onChange: (value: number | null) => void }) {
  return (
    <NumberInput
      label={props.label}
      description={props.description}
      placeholder="Off"
      min={1}
      allowDecimal={false}
      allowNegative={false}
      value={props.value ?? ''}
      error={props.error}
      onChange={(v) => props.onChange(typeof v === 'number' ? v : null)}
    />
  );
}

/**
 * The velocity and duplicate settings of a fraud policy (docs/fraud.md): the most clicks a minute per
 * IP, per device and per sub id value, conversions an hour per IP, and converting clicks a day per IP
 * and per device. An empty field turns that signal off.
 */
export function VelocitySection({ policy, onChange, errors }: PolicySectionProps) {
  const velocity: Velocity = policy.velocity ?? {};
  const duplicates: Duplicates = policy.duplicates ?? {};
  const setVelocity = (patch: Partial<Velocity>) => onChange({ velocity: { ...velocity, ...patch } });
  const setDuplicates = (patch: Partial<Duplicates>) => onChange({ duplicates: { ...duplicates, ...patch } });
  return (
    // The form's card gives the section its title (POLICY_SECTIONS): no legend of its own, or the title shows twice.
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Counted across every campaign in shared windows; a count above the number here fires the signal. Leave a field empty to turn its signal off.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Threshold
          label="Clicks per IP per minute"
          description="More clicks from one address in 60 s"
          value={velocity.ipClicksPerMinute}
          error={errors['velocity.ipClicksPerMinute']}
          onChange={(v) => setVelocity({ ipClicksPerMinute: v })}
        />
        <Threshold
          label="Clicks per device per minute"
          description="One address with one user agent, in 60 s"
          value={velocity.ipUaClicksPerMinute}
          error={errors['velocity.ipUaClicksPerMinute']}
          onChange={(v) => setVelocity({ ipUaClicksPerMinute: v })}
        />
        <Threshold
          label="Clicks per sub id value per minute"
          description="One zone or placement of this campaign, in 60 s"
          value={velocity.subClicksPerMinute}
          error={errors['velocity.subClicksPerMinute']}
          onChange={(v) => setVelocity({ subClicksPerMinute: v })}
        />
        <MultiSelect
          label="Sub ids counted"
          description="Counted when the threshold above is set; leave out sub ids that carry a per-click id"
          data={SUB_PARAMS}
          value={velocity.subParams ?? []}
          error={errors['velocity.subParams']}
          onChange={(v) => setVelocity({ subParams: v as SubParam[] })}
        />
        <Threshold
          label="Conversions per IP per hour"
          description="Conversions from one address in 1 h"
          value={velocity.ipConversionsPerHour}
          error={errors['velocity.ipConversionsPerHour']}
          onChange={(v) => setVelocity({ ipConversionsPerHour: v })}
        />
        <Threshold
          label="Converting clicks per IP per day"
          description="Different clicks converting from one address in 24 h"
          value={duplicates.ipConversionsPerDay}
          error={errors['duplicates.ipConversionsPerDay']}
          onChange={(v) => setDuplicates({ ipConversionsPerDay: v })}
        />
        <Threshold
          label="Converting clicks per device per day"
          description="Different clicks converting from one address and user agent in 24 h"
          value={duplicates.deviceConversionsPerDay}
          error={errors['duplicates.deviceConversionsPerDay']}
          onChange={(v) => setDuplicates({ deviceConversionsPerDay: v })}
        />
      </SimpleGrid>
    </Stack>
  );
}
