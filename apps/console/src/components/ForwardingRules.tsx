import { Alert, Code, Group, MultiSelect, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AnswerOf, ReadOf } from '../api/responses';
import { conversionLabel } from '../lib/conversion-label';
import { decimalInput } from '../lib/zoned-time';
import { ErrorNote } from './states';

// The forwarding rules editor, shared by a traffic source's rules and a campaign's override.

const STATUSES = ['pending', 'approved', 'declined', 'refunded'] as const;
type Status = (typeof STATUSES)[number];

/** The rules as the editor holds them; empty lists and texts mean "every" / "default" (or "as the source" for a campaign). */
export interface RulesDraft {
  statuses: Status[];
  goals: string[];
  share: 'whole' | 'percent' | 'fixed';
  shareValue: string;
  shareCurrency: string;
  retrySchedule: string;
}

type Share = { type: 'percent'; value: string } | { type: 'fixed'; value: string; currency?: string | null } | null;

export function draftOf(rules: {
  statuses: readonly Status[] | null;
  goals: readonly string[] | null;
  payoutShare: Share;
  retrySchedule: string | null;
}): RulesDraft {
  const share = rules.payoutShare;
  return {
    statuses: [...(rules.statuses ?? [])],
    goals: [...(rules.goals ?? [])],
    share: share ? share.type : 'whole',
    shareValue: share?.value ?? '',
    shareCurrency: share?.type === 'fixed' ? (share.currency ?? '') : '',
    retrySchedule: rules.retrySchedule ?? '',
  };
}

/** The API's body for a draft: every empty field `null`. */
export function rulesBody(d: RulesDraft) {
  const value = decimalInput(d.shareValue);
  return {
    statuses: d.statuses.length ? d.statuses : null,
    goals: d.goals.length ? d.goals : null,
    payoutShare:
      d.share === 'whole'
        ? null
        : d.share === 'percent'
          ? { type: 'percent' as const, value }
          : { type: 'fixed' as const, value, ...(d.shareCurrency.trim() ? { currency: d.shareCurrency.trim().toUpperCase() } : {}) },
    retrySchedule: d.retrySchedule.trim() || null,
  };
}

/** The fields of a rules draft: statuses and goals sent, payout share or fixed payout, retry schedule. `inherit` names what an empty field means. */
export function RulesFields({ draft, onChange, inherit }: { draft: RulesDraft; onChange: (d: RulesDraft) => void; inherit: string }) {
  return (
    <Stack gap="xs">
      <MultiSelect
        label="Statuses sent"
        data={[...STATUSES]}
        value={draft.statuses}
        onChange={(v) => onChange({ ...draft, statuses: v as Status[] })}
        placeholder={inherit}
        clearable
      />
      <TagsInput
        label="Goals sent"
        value={draft.goals}
        onChange={(v) => onChange({ ...draft, goals: v })}
        placeholder={inherit}
        description="Type a goal and press Enter."
        clearable
      />
      <Group grow align="end">
        <Select
          label="Payout sent"
          value={draft.share}
          onChange={(v) => onChange({ ...draft, share: (v as RulesDraft['share']) ?? 'whole' })}
          allowDeselect={false}
          data={[
            { value: 'whole', label: inherit === 'every' ? 'The whole payout' : 'As the source' },
            { value: 'percent', label: 'A share of the payout (%)' },
            { value: 'fixed', label: 'A fixed payout' },
          ]}
        />
        {draft.share !== 'whole' && (
          <TextInput
            label={draft.share === 'percent' ? 'Percent' : 'Amount'}
            value={draft.shareValue}
            onChange={(e) => onChange({ ...draft, shareValue: e.currentTarget.value })}
          />
        )}
        {draft.share === 'fixed' && (
          <TextInput
            label="Currency"
            value={draft.shareCurrency}
            onChange={(e) => onChange({ ...draft, shareCurrency: e.currentTarget.value })}
            maxLength={3}
            placeholder="the conversion's"
          />
        )}
      </Group>
      <TextInput
        label="Retry schedule"
        value={draft.retrySchedule}
        onChange={(e) => onChange({ ...draft, retrySchedule: e.currentTarget.value })}
        placeholder={inherit === 'every' ? 'the default (0,5s,5m,30m,2h,5h,10h,10h)' : 'as the source'}
        description="The wait before each attempt, e.g. 0,1m,10m,1h"
      />
    </Stack>
  );
}

/** What the preview needs from its page: recent conversions to pick from, and the preview request. */
export interface PreviewSource {
  conversions: ReadOf<'/api/conversions'>['items'] | undefined;
  preview: {
    mutate: (body: { conversionId: string; source?: Record<string, unknown>; campaignRules?: Record<string, unknown> | null }) => void;
    data?: AnswerOf<'/api/traffic-sources/{id}/forwarding-preview', 'post'>;
    error: unknown;
  };
}

/**
 * The live preview: the exact request a chosen stored conversion would produce under the draft,
 * rendered by the server with the real macro and payout code (nothing is sent).
 */
export function RulesPreview({
  from,
  body,
}: {
  from: PreviewSource;
  body: { source?: Record<string, unknown>; campaignRules?: Record<string, unknown> | null };
}) {
  const [conversionId, setConversionId] = useState<string | null>(null);
  const { preview, conversions } = from;
  const payload = JSON.stringify(body);
  const { mutate } = preview;
  useEffect(() => {
    if (!conversionId) return;
    // A short pause so typing does not send a request per key.
    const timer = setTimeout(() => mutate({ conversionId, ...(JSON.parse(payload) as object) }), 300);
    return () => clearTimeout(timer);
  }, [conversionId, payload, mutate]);
  return (
    <Stack gap="xs" data-testid="rules-preview">
      <Select
        label="Preview with a conversion"
        placeholder={conversions?.length ? 'pick a recent conversion' : 'no conversions yet'}
        value={conversionId}
        onChange={setConversionId}
        searchable
        data={(conversions ?? []).map((c) => ({
          value: c.id,
          label: conversionLabel(c),
        }))}
      />
      <ErrorNote error={preview.error} />
      {preview.data && conversionId && (
        <Alert
          color={preview.data.forwarded ? 'teal' : 'yellow'}
          title={preview.data.forwarded ? 'Would be sent' : `Would not be sent: ${preview.data.reason}`}
        >
          <Text size="sm">
            {preview.data.request.method} <Code data-testid="preview-url">{preview.data.request.url}</Code>
            {preview.data.request.signed ? ' · signed' : ''}
          </Text>
          {preview.data.request.body && (
            <Code block mt="xs">
              {preview.data.request.body}
            </Code>
          )}
          <Text size="xs" c="dimmed" mt="xs">
            Retries: {preview.data.retrySchedule}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
