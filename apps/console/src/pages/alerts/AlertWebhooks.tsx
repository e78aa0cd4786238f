import { Alert, Badge, Button, Code, Group, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ShownOnce } from '../../components/Secret';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import {
  useAlertWebhooks,
  useAlertWebhookSends,
  useCreateAlertWebhook,
  useDeleteAlertWebhook,
  useTestAlertWebhook,
  useUpdateAlertWebhook,
  type AlertWebhook,
  type AlertWebhookSend,
} from './queries';

/**
 * Where alerts go besides the dashboard: webhook endpoints (generic JSON or Slack-compatible text),
 * each signed with its own secret, with a test button and the record of what was sent.
 */
export default function AlertWebhooks() {
  const webhooks = useAlertWebhooks();
  const update = useUpdateAlertWebhook();
  const remove = useDeleteAlertWebhook();
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Stack>
      <PageHeader title="Alert webhooks" />
      <Text size="sm">
        Postwire checks its alerts (failing traffic sources, silent networks, conversion-rate drops…) every few seconds and sends each one that starts or
        resolves to every enabled webhook, signed with Standard Webhooks headers. The same alert about the same subject is not sent again within the cool-down.
      </Text>
      <NewWebhook onSecret={setSecret} />
      {secret && <ShownOnce label="Signing secret (verify webhook-signature with it)" value={secret} />}
      <ErrorNote error={update.error ?? remove.error} />
      <ListState
        query={webhooks}
        rows={webhooks.data}
        empty={
          <EmptyState title="No alert webhooks">Alerts show on the dashboard only. Add a webhook above to receive them in Slack or your own system.</EmptyState>
        }
      >
        {(rows) => (
          <Stack>
            {rows.map((w) => (
              <WebhookCard
                key={w.id}
                webhook={w}
                onToggle={(enabled) => update.mutate({ id: w.id, enabled })}
                onRemove={() => remove.mutate(w.id)}
                removing={remove.isPending && remove.variables === w.id}
              />
            ))}
          </Stack>
        )}
      </ListState>
    </Stack>
  );
}

function NewWebhook({ onSecret }: { onSecret: (secret: string) => void }) {
  const create = useCreateAlertWebhook();
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  // Bumped after each add, so the form starts empty again.
  const [generation, setGeneration] = useState(0);
  const errors = useFieldErrors(create.error, ['name', 'url', 'format']);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Add a webhook
      </Title>
      <ApiForm
        key={generation}
        onSubmit={(data) =>
          create.mutate(
            { name: String(data.get('name') ?? ''), url: String(data.get('url') ?? ''), format },
            {
              onSuccess: (made) => {
                onSecret(made.secret);
                setGeneration((g) => g + 1);
              },
            },
          )
        }
        errors={errors}
        pending={create.isPending}
        submitLabel="Add webhook"
      >
        <Group grow align="start">
          <TextInput label="Name" name="name" required error={errors.of('name')} placeholder="e.g. Ops channel" />
          <TextInput label="URL" name="url" required error={errors.of('url')} placeholder="https://hooks.slack.com/services/…" />
          <Select
            label="Format"
            data={[
              { value: 'json', label: 'Generic JSON' },
              { value: 'slack', label: 'Slack-compatible text' },
            ]}
            value={format}
            onChange={(v) => setFormat((v as 'json' | 'slack') ?? 'json')}
            allowDeselect={false}
            error={errors.of('format')}
          />
        </Group>
      </ApiForm>
    </Paper>
  );
}

function WebhookCard({
  webhook,
  onToggle,
  onRemove,
  removing,
}: {
  webhook: AlertWebhook;
  onToggle: (enabled: boolean) => void;
  onRemove: () => void;
  removing: boolean;
}) {
  const test = useTestAlertWebhook();
  const sends = useAlertWebhookSends(webhook.id);
  return (
    <Paper withBorder p="md" data-testid="alert-webhook">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>{webhook.name}</Text>
          <Badge variant="light">{webhook.format === 'slack' ? 'Slack text' : 'JSON'}</Badge>
          <Code>{webhook.url}</Code>
        </Group>
        <Group gap="xs">
          <Switch label="Enabled" checked={webhook.enabled} onChange={(e) => onToggle(e.currentTarget.checked)} />
          <Button size="xs" variant="light" onClick={() => test.mutate(webhook.id)} loading={test.isPending}>
            Send test
          </Button>
          <Button size="xs" variant="subtle" color="red" onClick={onRemove} loading={removing}>
            Remove
          </Button>
        </Group>
      </Group>
      <ErrorNote error={test.error} />
      {test.data && (
        <Alert
          color={test.data.status === 'sent' ? 'teal' : 'red'}
          role="status"
          title="Test"
          data-testid="alert-webhook-test-result"
          // The title in the body's text colour: a tinted title on its tinted background is below AA contrast.
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          {test.data.status === 'sent' ? `Sent: the endpoint answered ${test.data.statusCode}.` : `Failed: ${test.data.error ?? 'no answer'}.`}
        </Alert>
      )}
      <SendsTable sends={sends.data ?? []} />
    </Paper>
  );
}

function SendsTable({ sends }: { sends: AlertWebhookSend[] }) {
  const user = useUser();
  if (sends.length === 0) return <Text size="sm">Nothing sent yet.</Text>;
  return (
    <Table aria-label="Sent alerts" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Event</Table.Th>
          <Table.Th>Alert</Table.Th>
          <Table.Th>Result</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sends.slice(0, 10).map((s) => (
          <Table.Tr key={s.id} data-testid="alert-webhook-send">
            <Table.Td>{formatDateTime(s.sentAt, user.timeZone)}</Table.Td>
            <Table.Td>{s.event}</Table.Td>
            <Table.Td>{s.kind}</Table.Td>
            <Table.Td>
              <Badge color={s.status === 'sent' ? 'teal.9' : 'red.9'}>{s.status}</Badge> {s.statusCode ?? s.error}
              {s.attempt > 1 && ` · attempt ${s.attempt}`}
              {s.retryAt && ` · tried again ${formatDateTime(s.retryAt, user.timeZone)}`}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
