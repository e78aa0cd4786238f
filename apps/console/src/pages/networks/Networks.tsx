import {
  Alert,
  Badge,
  Checkbox,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { CopyField } from '../../components/CopyField';
import { ShownOnce } from '../../components/Secret';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { AddAndDetailsDrawers, useAddAndDetails } from '../../components/AddAndDetailsDrawers';
import { RowActionButton, RowDangerButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { settingLabel, usePlugins, type AdapterInfo, type ConfigField } from '../../lib/plugins';
import {
  useCreateCredential,
  useCreateNetwork,
  useCredentials,
  useNetworks,
  usePostbackUrl,
  useRevokeCredential,
  useTestPostback,
  type CredentialKind,
  type Network,
} from './queries';

export default function Networks() {
  const networks = useNetworks();
  const drawers = useAddAndDetails(networks.data);
  return (
    <Stack>
      <PageHeader title="Networks">
        <Button onClick={drawers.startCreating}>Add network</Button>
      </PageHeader>
      <ListState
        query={networks}
        rows={networks.data}
        empty={
          <EmptyState title="No networks yet" action={{ label: 'Add network', onClick: drawers.startCreating }}>
            Add the affiliate network that sends you conversions. You get a postback URL to paste into its settings.
          </EmptyState>
        }
      >
        {(rows) => (
          <Table striped highlightOnHover aria-label="Networks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Adapter</Table.Th>
                <Table.Th>Guards</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>{n.name}</Table.Td>
                  <Table.Td>{n.adapter}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {n.guards.ipAllowlist?.length ? <Badge variant="light">IP allowlist</Badge> : null}
                      {n.guards.requireApiKey ? <Badge variant="light">API key</Badge> : null}
                      {n.guards.requireSignature ? <Badge variant="light">Signature</Badge> : null}
                      {!n.guards.ipAllowlist?.length && !n.guards.requireApiKey && !n.guards.requireSignature && (
                        <Text size="sm" c="dimmed">
                          none
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <RowActionButton onClick={() => drawers.openItem(n.id)}>Postback URL, test & keys</RowActionButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <AddAndDetailsDrawers
        drawers={drawers}
        addTitle="Add network"
        form={(onDone) => <NetworkForm onDone={onDone} />}
        details={(item) => <NetworkDetails network={item} />}
      />
    </Stack>
  );
}

function NetworkForm({ onDone }: { onDone: (n: Network) => void }) {
  const plugins = usePlugins();
  const [adapterId, setAdapterId] = useState('generic');
  const [config, setConfig] = useState<Record<string, unknown>>({});
  const [guards, setGuards] = useState({ ipAllowlist: '', requireApiKey: false, requireSignature: false });
  const adapter = plugins.data?.adapters.find((a) => a.id === adapterId);
  const create = useCreateNetwork(onDone);
  const errors = useFieldErrors(create.error, [...NETWORK_FIELDS, ...Object.keys(adapter?.configSchema ?? {}).map((k) => `adapterConfig.${k}`)]);
  function submit(data: FormData) {
    const ipAllowlist = guards.ipAllowlist.split(/[\s,]+/).filter(Boolean);
    create.mutate({
      name: String(data.get('name')),
      adapter: adapterId,
      adapterConfig: config,
      defaultCurrency: String(data.get('defaultCurrency') || 'USD'),
      guards: { ...(ipAllowlist.length ? { ipAllowlist } : {}), requireApiKey: guards.requireApiKey, requireSignature: guards.requireSignature },
    });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={create.isPending} submitLabel="Create network">
      <TextInput
        label="Name"
        name="name"
        required
        placeholder="e.g. Acme Affiliates"
        description="How the network is named in lists and reports"
        error={errors.of('name')}
      />
      <QueryState loading={plugins.isLoading} error={plugins.error}>
        <Select
          label="Postback format"
          description="How this network sends conversions. Pick the network's platform (Everflow, TUNE, impact.com…) or Generic for any other."
          data={(plugins.data?.adapters ?? []).map((a) => ({ value: a.id, label: a.displayName }))}
          value={adapterId}
          onChange={(v) => {
            setAdapterId(v ?? 'generic');
            setConfig({});
            errors.clear('adapter');
          }}
          allowDeselect={false}
          error={errors.of('adapter')}
        />
        {adapter && (
          <AdapterConfigForm
            adapter={adapter}
            value={config}
            onChange={(next, key) => {
              setConfig(next);
              errors.clear(`adapterConfig.${key}`);
            }}
            errorOf={(key) => errors.of(`adapterConfig.${key}`)}
          />
        )}
      </QueryState>
      <TextInput
        label="Currency it pays in"
        name="defaultCurrency"
        defaultValue="USD"
        maxLength={3}
        description="Three letters (USD, EUR…): used when a postback names no currency"
        error={errors.of('defaultCurrency')}
      />
      <Paper withBorder p="sm">
        <Text fw={600} size="sm" mb="xs">
          Who may send postbacks
        </Text>
        <Stack gap="xs">
          <Textarea
            label="Allowed addresses"
            name="guards.ipAllowlist"
            description="The IP addresses or ranges (CIDR) the network posts from, one per line. Leave empty to accept any address."
            value={guards.ipAllowlist}
            onChange={(e) => setGuards({ ...guards, ipAllowlist: e.currentTarget.value })}
            error={errors.of('guards.ipAllowlist')}
          />
          <Checkbox
            label="Require an API key"
            description="Each postback must carry one of this network's keys (key= or the X-API-Key header)"
            checked={guards.requireApiKey}
            onChange={(e) => setGuards({ ...guards, requireApiKey: e.currentTarget.checked })}
          />
          <Checkbox
            label="Require a signature"
            description="Each postback must be signed (HMAC) with one of this network's signing secrets"
            checked={guards.requireSignature}
            onChange={(e) => setGuards({ ...guards, requireSignature: e.currentTarget.checked })}
          />
        </Stack>
      </Paper>
    </ApiForm>
  );
}

/** The network fields the form shows, by their names in the API (where a refusal lands). */
const NETWORK_FIELDS = ['name', 'adapter', 'defaultCurrency', 'guards.ipAllowlist', 'guards'];

/** The adapter's settings form, drawn from its config schema. */
function AdapterConfigForm({
  adapter,
  value,
  onChange,
  errorOf,
}: {
  adapter: AdapterInfo;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>, key: string) => void;
  errorOf: (key: string) => string | undefined;
}) {
  const fields = Object.entries(adapter.configSchema) as Array<[string, ConfigField]>;
  if (!fields.length)
    return (
      <Text size="sm" c="dimmed">
        This adapter has no settings.
      </Text>
    );
  const set = (key: string, v: unknown) => onChange({ ...value, [key]: v }, key);
  return (
    <Paper withBorder p="sm">
      <Text fw={600} size="sm" mb="xs">
        {adapter.displayName} settings
      </Text>
      <Stack gap="xs">
        {fields.map(([key, field]: [string, ConfigField]) => {
          const common = {
            label: settingLabel(key, field),
            description: [field.description, field.help].filter(Boolean).join(' — '),
            required: field.required,
            error: errorOf(key),
            placeholder: field.default !== null ? String(field.default) : undefined,
          };
          if (field.type === 'boolean')
            return (
              <Switch
                key={key}
                label={common.label}
                description={common.description}
                checked={Boolean(value[key] ?? field.default ?? false)}
                onChange={(e) => set(key, e.currentTarget.checked)}
              />
            );
          if (field.type === 'number')
            return (
              <NumberInput
                key={key}
                {...common}
                value={(value[key] as number | undefined) ?? ''}
                onChange={(v) => set(key, typeof v === 'number' ? v : undefined)}
              />
            );
          if (field.enum)
            return (
              <Select
                key={key}
                {...common}
                data={field.enum}
                clearable={!field.required}
                value={(value[key] as string | undefined) ?? null}
                onChange={(v) => set(key, v ?? undefined)}
              />
            );
          if (field.secret)
            return (
              <PasswordInput
                key={key}
                {...common}
                description={`${common.description} (stored encrypted, never shown again)`}
                value={(value[key] as string | undefined) ?? ''}
                onChange={(e) => set(key, e.currentTarget.value || undefined)}
              />
            );
          return (
            <TextInput key={key} {...common} value={(value[key] as string | undefined) ?? ''} onChange={(e) => set(key, e.currentTarget.value || undefined)} />
          );
        })}
      </Stack>
    </Paper>
  );
}

function NetworkDetails({ network }: { network: Network }) {
  const user = useUser();
  const url = usePostbackUrl(network.id);
  const [clickId, setClickId] = useState('');
  const [payout, setPayout] = useState('1.00');
  const [forward, setForward] = useState(false);
  const test = useTestPostback(network.id);
  return (
    <Tabs defaultValue="url">
      <Tabs.List>
        <Tabs.Tab value="url">Postback URL & test</Tabs.Tab>
        {user.role === 'admin' && <Tabs.Tab value="keys">API keys & secrets</Tabs.Tab>}
      </Tabs.List>
      <Tabs.Panel value="url" pt="md">
        <Stack>
          <QueryState loading={url.isLoading} error={url.error}>
            <CopyField
              label="Postback URL"
              value={url.data?.url ?? ''}
              description="Paste this into the network's postback (S2S) settings. The {…} parts are the network's own macros."
            />
          </QueryState>
          <Paper withBorder p="sm">
            <Title order={3} size="h5" mb="xs">
              Send test postback
            </Title>
            <Text size="sm" c="dimmed" mb="xs">
              Runs a conversion through this network's adapter and guards, as the network's own request would. With the click id of a real click (open a
              campaign link and copy the click id from the landing page address) it makes a conversion marked test: it stays out of reports and alerts, and is
              sent to the traffic source only if you tick "Forward too".
            </Text>
            <Group align="end">
              <TextInput
                label="Click id"
                value={clickId}
                onChange={(e) => setClickId(e.currentTarget.value.trim())}
                placeholder="leave empty: outcome is unattributed"
                style={{ flex: 1 }}
              />
              <TextInput label="Payout" value={payout} onChange={(e) => setPayout(e.currentTarget.value)} w={100} />
              <Checkbox label="Forward too" checked={forward} onChange={(e) => setForward(e.currentTarget.checked)} mb={8} />
              <Button onClick={() => test.mutate({ ...(clickId ? { clickId } : {}), payout, forward })} loading={test.isPending}>
                Send test postback
              </Button>
            </Group>
            <ErrorNote error={test.error} />
            {test.data && (
              <Alert
                mt="sm"
                color={test.data.outcome === 'accepted' || test.data.outcome === 'updated' ? 'teal' : 'yellow'}
                title={`Outcome: ${test.data.outcome ?? 'none'} (HTTP ${test.data.statusCode})`}
                data-testid="test-postback-result"
              >
                <Stack gap={4}>
                  <Text size="sm">
                    Guards: {test.data.guards.passed ? 'passed' : `refused by ${test.data.guards.refusedBy}: ${test.data.guards.message ?? ''}`}
                  </Text>
                  {test.data.reason && <Text size="sm">Reason: {test.data.reason}</Text>}
                  {test.data.conversionId && (
                    <Text size="sm">
                      Conversion: <Code>{test.data.conversionId}</Code>
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    {test.data.request.method} <Code>{test.data.request.url}</Code>
                  </Text>
                </Stack>
              </Alert>
            )}
          </Paper>
        </Stack>
      </Tabs.Panel>
      {user.role === 'admin' && (
        <Tabs.Panel value="keys" pt="md">
          <Credentials networkId={network.id} kind="api-keys" title="Postback API keys" field="key" />
          <Credentials networkId={network.id} kind="signing-secrets" title="Signing secrets" field="secret" />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}

function Credentials({ networkId, kind, title, field }: { networkId: string; kind: CredentialKind; title: string; field: 'key' | 'secret' }) {
  const user = useUser();
  const list = useCredentials(networkId, kind);
  const [shown, setShown] = useState<string | null>(null);
  const create = useCreateCredential(networkId, kind);
  const revoke = useRevokeCredential(networkId, kind);
  return (
    <Paper withBorder p="sm" mb="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Button
          size="xs"
          onClick={() => create.mutate(undefined, { onSuccess: (made) => setShown('key' in made ? made.key : made.secret) })}
          loading={create.isPending}
        >
          New {field}
        </Button>
      </Group>
      {shown && <ShownOnce label={title.replace(/s$/, '')} value={shown} />}
      <ErrorNote error={create.error ?? revoke.error ?? list.error} />
      {(list.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      ) : (
        <Table aria-label={title}>
          <Table.Tbody>
            {list.data!.map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{k.label ?? k.id.slice(0, 8)}</Table.Td>
                <Table.Td>{formatDateTime(k.createdAt, user.timeZone)}</Table.Td>
                <Table.Td ta="right">
                  {k.revokedAt ? <Badge color="gray">revoked</Badge> : <RowDangerButton onClick={() => revoke.mutate(k.id)}>Revoke</RowDangerButton>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
