import { Badge, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { RescoreRun } from './queries';

const ACTIONS: Record<string, string> = {
  rescored: 'score changes',
  hold: 'newly held',
  reject: 'newly rejected',
  release: 'hold released (forwarded)',
  decline_forwarded: 'declined, source told',
  kept_forwarded: 'already forwarded: score only',
  kept_decided: 'already decided',
  unchanged: 'unchanged',
};

function Figure({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}

/** A run's counts, the payout it moves, and the sample of changed conversions with before/after reasons. */
export function RescoreResult({ run }: { run: RescoreRun }) {
  const { summary } = run;
  const c = summary.conversions;
  const money = (amount: string) => `${amount} ${summary.payout.currency}`;
  const verb = run.dryRun ? 'would be' : 'were';
  return (
    <Stack gap="sm" aria-label={run.dryRun ? 'Preview of the re-score' : 'Result of the re-score'} role="region">
      <Group>
        <Title order={3} size="h4">
          {run.dryRun ? 'Preview: what would change' : 'Applied'}
        </Title>
        <Badge color={run.state === 'failed' ? 'red' : run.state === 'running' ? 'blue' : 'green'} data-testid="rescore-state">
          {run.state}
        </Badge>
      </Group>
      {run.state === 'running' && <Progress value={100} animated aria-label="Re-score running" />}
      {run.error && (
        <Text c="red" role="alert">
          {run.error}
        </Text>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Clicks scanned" value={summary.clicks.scanned} />
        <Figure label="Clicks whose score changes" value={summary.clicks.changed} />
        <Figure label="Newly suspicious clicks" value={summary.clicks.newlySuspicious} />
        <Figure label="Clicks no longer suspicious" value={summary.clicks.noLongerSuspicious} />
        <Figure label="Conversions scanned" value={c.scanned} />
        <Figure label="Conversions whose score changes" value={c.changed} />
        <Figure label="Newly flagged" value={c.newlyFlagged} />
        <Figure label="No longer flagged" value={c.unflagged} />
        <Figure label={`Newly held (${money(summary.payout.newlyHeld)})`} value={c.newlyHeld} />
        <Figure label={`Newly rejected (${money(summary.payout.newlyRejected)})`} value={c.newlyRejected} />
        <Figure label={`Holds released (${money(summary.payout.released)})`} value={c.released} />
        <Figure label={`Declined with a status update (${money(summary.payout.declinedWithStatusUpdate)})`} value={c.declinedWithStatusUpdate} />
        <Figure label="Already forwarded: score only" value={c.keptForwarded} />
        <Figure label="Already decided: left alone" value={c.keptDecided} />
      </SimpleGrid>
      {summary.payout.unconverted.length > 0 && (
        <Text size="sm" c="dimmed">
          Payout with no rate into {summary.payout.currency}, left out of the sums:{' '}
          {summary.payout.unconverted.map((u) => `${u.amount} ${u.currency}`).join(', ')}.
        </Text>
      )}
      {summary.notes.map((note) => (
        <Text size="sm" c="orange.9" key={note}>
          {note}
        </Text>
      ))}
      {!run.dryRun && run.deliveriesQueued > 0 && <Text size="sm">{run.deliveriesQueued} deliveries queued (releases and status updates).</Text>}
      {summary.sample.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped aria-label={`Conversions that ${verb} changed (sample)`} style={{ fontVariantNumeric: 'tabular-nums' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Conversion</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>Before</Table.Th>
                <Table.Th>After</Table.Th>
                <Table.Th ta="right">Payout</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.sample.map((s) => (
                <Table.Tr key={s.conversionId} data-testid="rescore-sample-row">
                  <Table.Td style={{ fontFamily: 'monospace' }}>{s.conversionId.slice(0, 8)}</Table.Td>
                  <Table.Td>{ACTIONS[s.action] ?? s.action}</Table.Td>
                  <Table.Td>
                    {s.before.score} {s.before.verdict} {s.before.reasons.join(', ')}
                  </Table.Td>
                  <Table.Td>
                    {s.after.score} {s.after.verdict} {s.after.reasons.join(', ')}
                  </Table.Td>
                  <Table.Td ta="right">{s.payout === null ? '—' : `${s.payout} ${s.currency}`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
