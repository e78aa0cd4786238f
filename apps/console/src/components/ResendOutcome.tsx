import { Alert } from '@mantine/core';
import { ErrorNote } from './states';

/** The part of a retry or replay mutation the outcome reads. */
interface Resend<T> {
  data?: T;
  error: unknown;
  submittedAt: number;
}

/** The title in the body's text colour: a tinted title on its tinted background is below AA contrast. */
const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };

/**
 * What the last Retry or Replay did, said in words: how many deliveries were put back in line and
 * queued, how many wait for the sweeper, or why nothing happened. An action never ends in silence.
 */
export function ResendOutcome({ retry, replay }: { retry: Resend<{ enqueued: boolean }>; replay: Resend<{ replayed: number; enqueued: number }> }) {
  if (retry.error || replay.error) return <ErrorNote error={retry.error ?? replay.error} />;
  // The newest of the two answers is the one the admin is waiting for.
  const latest = retry.submittedAt >= replay.submittedAt ? 'retry' : 'replay';
  if (latest === 'retry' && retry.data) {
    return (
      <Alert color="teal" role="status" title="Retry" data-testid="resend-outcome" styles={READABLE_TITLE}>
        {retry.data.enqueued
          ? 'The delivery is queued and goes out now; its row shows the answer in a moment.'
          : 'The delivery is back to pending but could not be queued now; the sweeper sends it within seconds.'}
      </Alert>
    );
  }
  if (latest === 'replay' && replay.data) {
    const { replayed, enqueued } = replay.data;
    return (
      <Alert color={replayed === 0 ? 'yellow' : 'teal'} role="status" title="Replay" data-testid="resend-outcome" styles={READABLE_TITLE}>
        {replayed === 0
          ? 'Nothing to replay: this source has no deliveries of that status in that range.'
          : `${replayed} ${replayed === 1 ? 'delivery' : 'deliveries'} put back in line: ${enqueued} queued now${replayed > enqueued ? `, ${replayed - enqueued} left to the sweeper (within seconds)` : ''}.`}
      </Alert>
    );
  }
  return null;
}
