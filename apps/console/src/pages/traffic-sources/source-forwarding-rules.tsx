import { Badge, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { draftOf, RulesFields, RulesPreview, rulesBody } from '../../components/ForwardingRules';
import { ErrorNote } from '../../components/states';
import { useForwardingPreview, useRecentConversions, useSaveSourceRules, type TrafficSource } from './queries';

/** A traffic source's forwarding rules with the live preview; saved with PATCH. */
export function SourceForwardingRules({ source }: { source: TrafficSource }) {
  const [draft, setDraft] = useState(() => draftOf(source));
  const save = useSaveSourceRules(source.id);
  const conversions = useRecentConversions();
  const preview = useForwardingPreview(source.id);
  const body = rulesBody(draft);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Forwarding rules
        </Title>
        <Badge variant="light">every campaign of this source, unless it overrides them</Badge>
      </Group>
      <Stack>
        <RulesFields draft={draft} onChange={setDraft} inherit="every" />
        <Group>
          <Button size="xs" onClick={() => save.mutate(body)} loading={save.isPending}>
            Save rules
          </Button>
        </Group>
        <ErrorNote error={save.error} />
        <RulesPreview from={{ conversions: conversions.data, preview }} body={{ source: body, campaignRules: null }} />
      </Stack>
    </Paper>
  );
}
