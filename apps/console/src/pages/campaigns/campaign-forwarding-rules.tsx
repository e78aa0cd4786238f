import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { StaleEditNote } from '../../components/lifecycle';
import { ErrorNote } from '../../components/states';
import { draftOf, RulesFields, RulesPreview, rulesBody, type RulesDraft } from '../../components/ForwardingRules';
import { isStaleEdit } from '../../lib/lifecycle';
import { useForwardingPreview, useRecentConversions } from '../traffic-sources/queries';
import { useCampaignRules, useSaveCampaignRules, type Campaign, type CampaignRules } from './queries';

/** A campaign's own forwarding rules over its source's (each empty field: as the source), with the live preview. */
export function CampaignForwardingRules({ campaign }: { campaign: Campaign }) {
  const saved = useCampaignRules(campaign.id);
  const save = useSaveCampaignRules(campaign.id);
  const conversions = useRecentConversions();
  const preview = useForwardingPreview(campaign.trafficSourceId);
  const [draft, setDraft] = useState<RulesDraft | null>(null);
  // The rules as the form loaded them: their `version` goes with the save, so a colleague's change meanwhile is a 409.
  const [base, setBase] = useState<CampaignRules | null>(null);
  const load = (rules: CampaignRules) => {
    setBase(rules);
    setDraft(draftOf(rules));
  };
  useEffect(() => {
    if (saved.data && draft === null) load(saved.data);
  }, [saved.data, draft]);
  if (!draft || !base) return null;
  const body = rulesBody(draft);
  const stale = isStaleEdit(save.error);
  return (
    <Stack gap="xs" data-testid="campaign-forwarding-rules">
      <Title order={4} size="h6">
        Forwarding rules for this campaign
      </Title>
      <Text size="sm" c="dimmed">
        Override the traffic source's rules for this campaign only. Leave a field empty to keep the source's.
      </Text>
      {stale && saved.data && (
        <StaleEditNote
          loaded={base}
          latest={saved.data}
          onReload={() => {
            save.reset();
            load(saved.data!);
          }}
          onReview={() => setBase(saved.data!)}
        />
      )}
      <RulesFields draft={draft} onChange={setDraft} inherit="as the source" />
      <Group>
        <Button size="xs" onClick={() => save.mutate({ ...body, version: base.version }, { onSuccess: load })} loading={save.isPending}>
          Save campaign rules
        </Button>
      </Group>
      {!stale && <ErrorNote error={save.error} />}
      <RulesPreview from={{ conversions: conversions.data, preview }} body={{ campaignRules: body }} />
    </Stack>
  );
}
