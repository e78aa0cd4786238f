import { Badge, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { draftOf, RulesFields, RulesPreview, rulesBody } from '../../components/ForwardingRules';
import { StaleEditNote } from '../../components/lifecycle';
import { ErrorNote } from '../../components/states';
import { isStaleEdit } from '../../lib/lifecycle';
import { useForwardingPreview, useRecentConversions, useSaveSourceRules, type TrafficSource } from './queries';

/** A traffic source's forwarding rules with the live preview; saved with PATCH. */
export function SourceForwardingRules({ source }: { source: TrafficSource }) {
  // The source as the form loaded it: its `version` goes with the save, so a colleague's change meanwhile is a 409.
  const [base, setBase] = useState(source);
  const [draft, setDraft] = useState(() => draftOf(source));
  const load = (loaded: TrafficSource) => {
    setBase(loaded);
    setDraft(draftOf(loaded));
  };
  const save = useSaveSourceRules(source.id);
  const conversions = useRecentConversions();
  const preview = useForwardingPreview(source.id);
  const body = rulesBody(draft);
  const stale = isStaleEdit(save.error);
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Forwarding rules
        </Title>
        <Badge variant="light">every campaign of this source, unless it overrides them</Badge>
      </Group>
      <Stack>
        {stale && (
          <StaleEditNote
            loaded={base}
            latest={source}
            onReload={() => {
              save.reset();
              load(source);
            }}
            onReview={() => setBase(source)}
          />
        )}
        <RulesFields draft={draft} onChange={setDraft} inherit="every" />
        <Group>
          <Button size="xs" onClick={() => save.mutate({ ...body, version: base.version }, { onSuccess: load })} loading={save.isPending}>
            Save rules
          </Button>
        </Group>
        {!stale && <ErrorNote error={save.error} />}
        <RulesPreview from={{ conversions: conversions.data, preview }} body={{ source: body, campaignRules: null }} />
      </Stack>
    </Paper>
  );
}
