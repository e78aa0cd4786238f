import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useParams } from 'react-router';
import { useUser } from '../../auth/session';
import { QueryState } from '../../components/states';
import { formatDateTime, formatMoney } from '../../lib/format';
import { explainOutcome } from '../../lib/postback-reasons';
import { useReplayDeliveries, useRetryDelivery } from '../deliveries/queries';
import { ResendOutcome } from '../../components/ResendOutcome';
import { STATUS_COLORS } from './Conversions';
import { useTrace } from './queries';
import { FraudSignals } from '../../components/FraudSignals';

const KIND_LABEL: Record<string, string> = { click: 'Click', postback: 'Postback received', status: 'Status change', delivery_attempt: 'Delivery attempt' };

/** One conversion's whole story: click, postbacks, status history, deliveries and their attempts. */
export default function ConversionTrace() {
  const { id = '' } = useParams();
  const user = useUser();
  const tz = user.timeZone;
  const trace = useTrace(id);
  const retry = useRetryDelivery();
  const replay = useReplayDeliveries();
  // Replays the source's deliveries from an hour either side of this one: enough to catch it, few enough to be safe.
  const replayAround = (d: { trafficSourceId: string; createdAt: string }) => {
    const at = new Date(d.createdAt).getTime();
    replay.mutate({ trafficSourceId: d.trafficSourceId, from: new Date(at - 3_600_000).toISOString(), to: new Date(at + 3_600_000).toISOString() });
  };
  const canAct = user.role !== 'client';
  const t = trace.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Conversion trace
        </Title>
        <Text size="sm" c="dimmed">
          Times in {tz}
        </Text>
      </Group>
      {user.role === 'client' && (
        <Text size="sm" c="dimmed" data-testid="client-view-note">
          Traffic-source details, visitor addresses and raw postback parameters are shown only where your account allows them.
        </Text>
      )}
      <QueryState loading={trace.isLoading} error={trace.error}>
        {t && (
          <>
            <Paper withBorder p="md">
              <Group gap="xl" wrap="wrap">
                <Field label="Conversion" value={<Code>{t.conversion.id}</Code>} />
                <Field label="Status" value={<Badge color={STATUS_COLORS[t.conversion.status] ?? 'gray'}>{t.conversion.status}</Badge>} />
                <Field label="Payout" value={formatMoney(t.conversion.payout, t.conversion.currency)} />
                <Field label="Goal" value={t.conversion.goal || 'default'} />
                <Field label="Campaign" value={t.campaign?.name ?? t.conversion.campaignId} />
                <Field label="Network" value={t.network ? `${t.network.name} (${t.network.adapter})` : '—'} />
              </Group>
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="md">
                Timeline
              </Title>
              <Timeline bulletSize={14} lineWidth={2} active={t.timeline.length}>
                {t.timeline.map((e, i) => (
                  <Timeline.Item key={i} title={KIND_LABEL[e.kind]} data-testid={`timeline-${e.kind}`}>
                    <Text size="sm">{e.summary}</Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(e.at, tz)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            </Paper>
            {t.click && (
              <Paper withBorder p="md">
                <Title order={2} size="h4" mb="xs">
                  Click and enrichment
                </Title>
                <KeyValues
                  values={{
                    'Click id': t.click.id,
                    Time: formatDateTime(t.click.createdAt, tz),
                    'External id': t.click.externalId ?? '—',
                    // Left out of a client's answer unless allowed: then the rows are not shown at all.
                    ...(t.click.ip !== undefined ? { IP: t.click.ip } : {}),
                    ...(t.click.userAgent !== undefined ? { 'User agent': t.click.userAgent } : {}),
                    ...Object.fromEntries(
                      (['country', 'deviceType', 'os', 'browser', 'referrerDomain'] as const)
                        .filter((k) => t.click!.enrichment?.[k])
                        .map((k) => [k, String(t.click!.enrichment![k])]),
                    ),
                    ...t.click.subs,
                  }}
                />
              </Paper>
            )}
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Postbacks received ({t.postbacksCut ? `newest ${t.postbacks.length}` : t.postbacks.length})
              </Title>
              {t.postbacksCut && (
                <Text size="sm" mb="xs" data-testid="trace-postbacks-cut">
                  This click has more postbacks than a trace shows: Received postbacks lists them all (search for its click id).
                </Text>
              )}
              <Stack gap="sm">
                {t.postbacks.map((p) => (
                  <Paper key={p.id} withBorder p="sm" data-testid="trace-postback">
                    <Group gap="xs" mb={4}>
                      <Badge variant="light" color={p.guardVerdict === 'refused' ? 'red' : undefined}>
                        {p.outcome}
                      </Badge>
                      <Text size="sm">
                        {formatDateTime(p.receivedAt, tz)} · {p.channel} · adapter {p.adapter ?? '—'} · guards {p.guardVerdict}
                        {p.ip !== undefined && ` · from ${p.ip ?? '—'}`}
                      </Text>
                    </Group>
                    {p.reason && (
                      <Text size="sm">
                        Reason: {p.reason}. {explainOutcome(p.outcome, p.reason, p.reasonCode)?.todo}
                      </Text>
                    )}
                    {p.params && <Code block>{JSON.stringify(p.params, null, 2)}</Code>}
                  </Paper>
                ))}
              </Stack>
            </Paper>
            {t.fraud && <FraudSignals fraud={t.fraud} />}
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Status history
              </Title>
              <Table aria-label="Status history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Channel</Table.Th>
                    <Table.Th ta="right">Payout after</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {t.history.map((h, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{formatDateTime(h.changedAt, tz)}</Table.Td>
                      <Table.Td>{h.from ?? 'new'}</Table.Td>
                      <Table.Td>{h.to}</Table.Td>
                      <Table.Td>{h.channel}</Table.Td>
                      <Table.Td ta="right">{formatMoney(h.payoutAfter, t.conversion.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="md">
              <Title order={2} size="h4" mb="xs">
                Deliveries to traffic sources ({t.deliveriesCut ? `newest ${t.deliveries.length}` : t.deliveries.length})
              </Title>
              {t.deliveriesCut && (
                <Text size="sm" mb="xs" data-testid="trace-deliveries-cut">
                  This conversion has more deliveries than a trace shows: the Deliveries list has them all.
                </Text>
              )}
              {t.deliveries.length === 0 && (
                <Text c="dimmed">No delivery: the campaign's traffic source takes no postback for this event, or none was due yet.</Text>
              )}
              <ResendOutcome retry={retry} replay={replay} />
              <Stack gap="sm">
                {t.deliveries.map((d) => (
                  <Paper key={d.id} withBorder p="sm" data-testid="trace-delivery">
                    <Group justify="space-between" mb={4}>
                      <Group gap="xs">
                        <Badge color={d.status === 'delivered' ? 'teal' : d.status === 'dead' ? 'red' : 'yellow'} data-testid="delivery-status">
                          {d.status}
                        </Badge>
                        <Text size="sm">
                          {d.trafficSourceName === undefined ? 'Traffic source' : (d.trafficSourceName ?? d.trafficSourceId)} · {d.event} · {d.method}{' '}
                          {d.url !== undefined && <Code>{d.url}</Code>}
                        </Text>
                      </Group>
                      {canAct && (
                        <Group gap="xs">
                          <Button size="xs" variant="light" onClick={() => retry.mutate(d.id)} loading={retry.isPending && retry.variables === d.id}>
                            Retry now
                          </Button>
                          <Button size="xs" variant="subtle" onClick={() => replayAround(d)} loading={replay.isPending}>
                            Replay this hour
                          </Button>
                        </Group>
                      )}
                    </Group>
                    <Table aria-label="Delivery attempts" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Time</Table.Th>
                          <Table.Th ta="right">Answer</Table.Th>
                          <Table.Th ta="right">Latency</Table.Th>
                          <Table.Th>Body excerpt / error</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {d.attempts.map((a) => (
                          <Table.Tr key={a.id} data-testid="delivery-attempt">
                            <Table.Td>{formatDateTime(a.attemptedAt, tz)}</Table.Td>
                            <Table.Td ta="right">{a.statusCode ?? 'none'}</Table.Td>
                            <Table.Td ta="right">{a.latencyMs} ms</Table.Td>
                            <Table.Td>
                              <Text size="xs" ff="monospace" lineClamp={3}>
                                {[a.responseSnippet, a.error].filter(Boolean).join(' — ') || '—'}
                              </Text>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Paper>
                ))}
              </Stack>
            </Paper>
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div>{value}</div>
    </div>
  );
}

function KeyValues({ values }: { values: Record<string, string> }) {
  return (
    <Table aria-label="Click details">
      <Table.Tbody>
        {Object.entries(values).map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={160}>{k}</Table.Th>
            <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
