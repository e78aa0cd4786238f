import { NumberInput, Select, Stack, Switch, Text, Textarea } from '@mantine/core';
import type { PolicySectionProps } from './section-props';

type ConversionRate = NonNullable<PolicySectionProps['policy']['conversionRate']>;

const SUB_PARAMS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;

/** A fraction as the percent the operator types (0.125 ↔ 12.5), without floating-point noise. */
const toPercent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '' : Number((rate * 100).toFixed(4)));
const toRate = (percent: number | string) => (typeof percent === 'number' ? Number((percent / 100).toFixed(6)) : null);

/** One group of countries per line, codes split by commas or spaces: `DE, AT, CH`. */
function parseMarkets(text: string): string[][] {
  return text
    .split('\n')
    .map((line) =>
      line
        .split(/[\s,;]+/)
        .map((code) => code.trim().toUpperCase())
        .filter(Boolean),
    )
    .filter((group) => group.length > 0);
}

/** The first server message for a field or anything under it (`geoMismatch.sameMarket.0.1`). */
function errorUnder(errors: PolicySectionProps['errors'], path: string): string | undefined {
  const key = Object.keys(errors).find((k) => k === path || k.startsWith(`${path}.`));
  return key ? errors[key] : undefined;
}

/**
 * The settings of the geo-mismatch and conversion-rate signals (docs/fraud.md): which countries count as
 * one market, and the conversion-rate bounds per traffic source and zone once a click minimum is passed.
 */
export function SignalsSection({ policy, onChange, errors }: PolicySectionProps) {
  const markets = policy.geoMismatch?.sameMarket ?? [];
  const rate = policy.conversionRate ?? null;
  const setRate = (patch: Partial<ConversionRate>) => onChange({ conversionRate: { ...(rate ?? {}), ...patch } });
  return (
    <Stack gap="md">
      <Textarea
        label="Countries counted as one market"
        description="A buyer whose country differs from the click's is flagged (geo_mismatch), unless both countries are on one line here. ISO codes, one group per line, e.g. DE, AT, CH."
        autosize
        minRows={2}
        defaultValue={markets.map((group) => group.join(', ')).join('\n')}
        onBlur={(event) => onChange({ geoMismatch: { sameMarket: parseMarkets(event.currentTarget.value) } })}
        error={errorUnder(errors, 'geoMismatch')}
      />
      <Switch
        label="Check conversion rates per traffic source and zone"
        description="Flags conversions from a source or zone whose conversion rate is outside the bounds (cr_outlier_source, cr_outlier_sub), once it has enough clicks."
        checked={rate !== null}
        onChange={(event) => onChange({ conversionRate: event.currentTarget.checked ? {} : null })}
        error={errors.conversionRate}
      />
      {rate !== null && (
        <Stack gap="sm" pl="md">
          <NumberInput
            label="Highest conversion rate (%)"
            description="Above it the source or zone converts too well to be true."
            min={0}
            max={100}
            decimalScale={4}
            value={toPercent(rate.maxRate)}
            onChange={(v) => setRate({ maxRate: toRate(v) })}
            error={errors['conversionRate.maxRate']}
          />
          <NumberInput
            label="Lowest conversion rate (%)"
            description="Below it the clicks hardly convert at all. Leave empty for no floor."
            min={0}
            max={100}
            decimalScale={4}
            value={toPercent(rate.minRate)}
            onChange={(v) => setRate({ minRate: toRate(v) })}
            error={errors['conversionRate.minRate']}
          />
          <NumberInput
            label="Click minimum"
            description="A rate is judged only from this many clicks on (of the source, or of the zone)."
            min={1}
            allowDecimal={false}
            placeholder="default"
            value={rate.minClicks ?? ''}
            onChange={(v) => setRate({ minClicks: typeof v === 'number' ? v : undefined })}
            error={errors['conversionRate.minClicks']}
          />
          <NumberInput
            label="Days measured"
            description="UTC days, today included."
            min={1}
            max={90}
            allowDecimal={false}
            placeholder="default"
            value={rate.windowDays ?? ''}
            onChange={(v) => setRate({ windowDays: typeof v === 'number' ? v : undefined })}
            error={errors['conversionRate.windowDays']}
          />
          <Select
            label="Zone parameter"
            description="The sub id that names the zone or placement; without it only the source's rate is checked."
            placeholder="No zone check"
            clearable
            data={[...SUB_PARAMS]}
            value={rate.subParam ?? null}
            onChange={(v) => setRate({ subParam: (v as ConversionRate['subParam']) ?? null })}
            error={errors['conversionRate.subParam']}
          />
          <Text size="sm" c="dimmed">
            Rates come from the report rollups and are at most a minute old.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
