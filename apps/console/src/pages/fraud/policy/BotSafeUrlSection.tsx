import { TextInput } from '@mantine/core';
import { errorFor } from './fields';
import type { PolicySectionProps } from './section-props';

/** Where clicks from known crawlers and headless browsers go instead of the offer (empty: to the offer, as any click). */
export function BotSafeUrlSection({ policy, onChange, errors }: PolicySectionProps) {
  return (
    <TextInput
      label="Bot safe URL"
      description="Clicks from listed crawlers and headless browsers are sent here instead of the offer; still stored and scored. Empty: off."
      placeholder="https://example.com/"
      value={policy.botSafeUrl ?? ''}
      onChange={(e) => onChange({ botSafeUrl: e.currentTarget.value.trim() ? e.currentTarget.value : null })}
      error={errorFor(errors, 'botSafeUrl')}
    />
  );
}
