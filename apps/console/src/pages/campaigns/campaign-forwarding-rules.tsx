import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/states';
import { draftOf, RulesFields, RulesPreview, rulesBody, type RulesDraft } from '../../components/ForwardingRules';
import { useForwardingPreview, useRecentConversions } from '../traffic-sources/queries';
import { useCampaignRules, useSaveCampaignRules, type Campaign } from './queries';

/** A campaign's own forwarding rules over its source's (each empty field: as the source), with the live preview. */
export function CampaignForwardingRules({ campaign }: { campaign: Campaign }) {
  const saved = useCampaignRules(campaign.id);
  const save = useSaveCampaignRules(campaign.id);
  const conversions = useRecentConversions();
  const preview = useForwardingPreview(campaign.trafficSourceId);
  const [draft, setDraft] = useState<RulesDraft | null>(null);
  useEffect(() => {
    if (saved.data && draft === null) setDraft(draftOf(saved.data));
  }, [saved.data, draft]);
  if (!draft) return null;
  const body = rulesBody(draft);
  return (
    <Stack gap="xs" data-testid="campaign-forwarding-rules">
      <Title order={4} size="h6">
        Forwarding rules for this campaign
      </Title>
      <Text size="sm" c="dimmed">
        Override the traffic source's rules for this campaign only. Leave a field empty to keep the source's.
      </Text>
      <RulesFields draft={draft} onChange={setDraft} inherit="as the source" />
      <Group>
        <Button size="xs" onClick={() => save.mutate(body)} loading={save.isPending}>
          Save campaign rules
        </Button>
      </Group>
      <ErrorNote error={save.error} />
      <RulesPreview from={{ conversions: conversions.data, preview }} body={{ campaignRules: body }} />
    </Stack>
  );
}
