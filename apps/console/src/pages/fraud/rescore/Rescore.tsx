import { Button, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../../auth/session';
import { CatalogFilter } from '../../../components/paging/CatalogFilter';
import { PageHeader, TimeZoneNote } from '../../../components/PageHeader';
import { ErrorNote } from '../../../components/states';
import { useCampaigns } from '../../campaigns/queries';
import { useRescoreRun, useStartRescore, type RescoreAsk } from './queries';
import { RescoreResult } from './RescoreResult';

/** `datetime-local` text for a moment, in the browser's time. */
function local(date: Date): string {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/**
 * Re-score past traffic under today's fraud policies: pick a range (and a campaign), preview what would
 * change (counts, payout, a sample with before/after reasons), then apply, choosing whether forwarded
 * conversions now rejected are declined with a status update to their source.
 */
export default function Rescore() {
  const user = useUser();
  const campaigns = useCampaigns();
  const [range, setRange] = useState(() => ({ from: local(new Date(Date.now() - 7 * 86_400_000)), to: local(new Date(Date.now() + 60_000)) }));
  const [campaignId, setCampaignId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sendStatusUpdates, setSendStatusUpdates] = useState(false);
  const start = useStartRescore();
  const polled = useRescoreRun(start.data);
  const run = polled.data ?? start.data;
  const ask = (dryRun: boolean): RescoreAsk => ({
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    ...(campaignId ? { campaignId } : {}),
    dryRun,
    ...(dryRun ? {} : { sendStatusUpdates }),
  });
  const previewed = run?.dryRun && run.state === 'done';
  return (
    <Stack>
      <PageHeader title="Re-score">
        <TimeZoneNote timeZone={user.timeZone} />
      </PageHeader>
      <Text size="sm" c="dimmed">
        Score a period's clicks and conversions again under today's fraud policies. Preview first: nothing changes until you apply. Applying never changes what
        was already forwarded unless you choose to send status updates; holds an operator decided stay as they are.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput
          label={`From (${user.timeZone === 'UTC' ? 'UTC' : 'your browser time'})`}
          type="datetime-local"
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.currentTarget.value })}
        />
        <TextInput label="To" type="datetime-local" value={range.to} onChange={(e) => setRange({ ...range, to: e.currentTarget.value })} />
        <CatalogFilter label="Campaign" anyLabel="Every campaign" items={campaigns.data} value={campaignId} onChange={(v) => setCampaignId(v ?? '')} />
      </SimpleGrid>
      <Group>
        <Button onClick={() => start.mutate(ask(true))} loading={start.isPending} disabled={!range.from || !range.to}>
          Preview changes
        </Button>
        <Button color="orange" variant="light" disabled={!previewed} onClick={() => setConfirming(true)}>
          Apply…
        </Button>
      </Group>
      <ErrorNote error={start.error} />
      {run && <RescoreResult run={run} />}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Apply the re-score?" closeButtonProps={{ 'aria-label': 'Close' }}>
        <Stack>
          <Text size="sm">
            New scores and reasons are stored; conversions newly held wait for review, holds the policies no longer make are released and forwarded. The run is
            recorded in the audit log.
          </Text>
          <Checkbox
            label="Send status updates: decline forwarded conversions that are now rejected, and tell their sources"
            checked={sendStatusUpdates}
            onChange={(e) => setSendStatusUpdates(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              color="orange"
              onClick={() => {
                setConfirming(false);
                start.mutate(ask(false));
              }}
            >
              Apply re-score
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
