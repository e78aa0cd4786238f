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
import { ApiForm, useFieldErrors, TagsField } from '../../components/forms';
import { AddAndDetailsDrawers, useAddAndDetails } from '../../components/AddAndDetailsDrawers';
import { LifecycleTable, ShowFilter, StaleEditNote, useEditBase, useShown } from '../../components/lifecycle';
import { SideDrawer } from '../../components/SideDrawer';
import { isStaleEdit } from '../../lib/lifecycle';
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
  useUpdateNetwork,
  type CredentialKind,
  type Network,
} from './queries';

export default function Networks() {
  const [shown, setShown] = useShown();
  const networks = useNetworks({ shown });
  const drawers = useAddAndDetails(networks.data);
  const [editing, setEditing] = useState<string | null>(null);
  const edited = networks.data?.find((n) => n.id === editing);
  return (
    <Stack>
      <PageHeader title="Networks">
        <Group>
          <ShowFilter shown={shown} onChange={setShown} />
          <Button onClick={drawers.startCreating}>Add network</Button>
        </Group>
      </PageHeader>
      <ListState
        query={networks}
        rows={networks.data}
        empty={
          shown === 'archived' ? (
            <EmptyState title="No archived networks" />
          ) : (
            <EmptyState title="No networks yet" action={{ label: 'Add network', onClick: drawers.startCreating }}>
              Add the affiliate network that sends you conversions. You get a postback URL to paste into its settings.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <LifecycleTable
            label="Networks"
            kind="networks"
            rows={rows}
            shown={shown}
            nameOf={(n) => n.name}
            onEdit={(n) => setEditing(n.id)}
            columns={[
              { header: 'Name', cell: (n) => n.name },
              { header: 'Postback format', cell: (n) => n.adapter },
              { header: 'Who may send', cell: (n) => <GuardBadges guards={n.guards} /> },
            ]}
            rowButtons={(n) => <RowActionButton onClick={() => drawers.openItem(n.id)}>Postback URL, test & keys</RowActionButton>}
          />
        )}
      </ListState>
      <AddAndDetailsDrawers
        drawers={drawers}
        addTitle="Add network"
        form={(onDone) => <NetworkForm onDone={onDone} />}
        details={(item) => <NetworkDetails network={item} />}
      />
      <SideDrawer opened={!!edited} onClose={() => setEditing(null)} title={`Edit ${edited?.name ?? ''}`} size="lg">
        {edited && <EditNetwork network={edited} onDone={() => setEditing(null)} />}
      </SideDrawer>
    </Stack>
  );
}

function GuardBadges({ guards }: { guards: Network['guards'] }) {
  if (!guards.ipAllowlist?.length && !guards.requireApiKey && !guards.requireSignature)
    return (
      <Text size="sm" c="dimmed">
        anyone with the URL
      </Text>
    );
  return (
    <Group gap={4}>
      {guards.ipAllowlist?.length ? <Badge variant="light">allowed addresses</Badge> : null}
      {guards.requireApiKey ? <Badge variant="light">API key</Badge> : null}
      {guards.requireSignature ? <Badge variant="light">signature</Badge> : null}
    </Group>
  );
}

/** The edit drawer's body: the form, remounted on "Reload" so it shows the latest version. */
function EditNetwork({ network, onDone }: { network: Network; onDone: () => void }) {
  const [generation, setGeneration] = useState(0);
  return <NetworkForm key={generation} network={network} onDone={onDone} onReload={() => setGeneration((g) => g + 1)} />;
}

/** The network fields the form shows, by their names in the API (where a refusal lands). */
const NETWORK_FIELDS = ['name', 'adapter', 'defaultCurrency', 'attributionWindowDays', 'guards.ipAllowlist', 'guards', 'tags'];

/** Adds a network, or (given one) edits it: every field but the postback format, which its postbacks depend on. */
function NetworkForm({ network, onDone, onReload }: { network?: Network; onDone: (n: Network) => void; onReload?: () => void }) {
  const plugins = usePlugins();
  const [adapterId, setAdapterId] = useState(network?.adapter ?? 'generic');
  const [config, setConfig] = useState<Record<string, unknown>>(network?.adapterConfig ?? {});
  const [guards, setGuards] = useState({
    ipAllowlist: (network?.guards.ipAllowlist ?? []).join('\n'),
    requireApiKey: network?.guards.requireApiKey ?? false,
    requireSignature: network?.guards.requireSignature ?? false,
  });
  const [tags, setTags] = useState<string[]>(network?.tags ?? []);
  const adapter = plugins.data?.adapters.find((a) => a.id === adapterId);
  const create = useCreateNetwork(onDone);
  const update = useUpdateNetwork(network?.id ?? '');
  const edit = useEditBase(network ?? PLACEHOLDER_VERSION);
  const saving = network ? update : create;
  const stale = isStaleEdit(saving.error);
  const errors = useFieldErrors(stale ? null : saving.error, [...NETWORK_FIELDS, ...Object.keys(adapter?.configSchema ?? {}).map((k) => `adapterConfig.${k}`)]);
  function submit(data: FormData) {
    const ipAllowlist = guards.ipAllowlist.split(/[\s,]+/).filter(Boolean);
    const fields = {
      name: String(data.get('name')),
      adapterConfig: config,
      defaultCurrency: String(data.get('defaultCurrency') || 'USD'),
      guards: { ipAllowlist, requireApiKey: guards.requireApiKey, requireSignature: guards.requireSignature },
      tags,
    };
    const days = String(data.get('attributionWindowDays') ?? '').trim();
    const attribution = days ? { attributionWindowDays: Number(days) } : {};
    if (network) update.mutate({ ...fields, ...attribution, version: edit.version }, { onSuccess: onDone });
    else create.mutate({ ...fields, ...attribution, adapter: adapterId });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={saving.isPending} submitLabel={network ? 'Save network' : 'Create network'}>
      {network && stale && <StaleEditNote loaded={edit.base} latest={network} onReload={onReload ?? (() => undefined)} onReview={edit.review} />}
      <TextInput
        label="Name"
        name="name"
        required
        defaultValue={network?.name}
        placeholder="e.g. Acme Affiliates"
        description="How the network is named in lists and reports"
        error={errors.of('name')}
      />
      <QueryState loading={plugins.isLoading} error={plugins.error}>
        <Select
          label="Postback format"
          description={
            network
              ? 'Fixed once the network exists: its postback URL and stored postbacks depend on it. Add another network for another format.'
              : "How this network sends conversions. Pick the network's platform (Everflow, TUNE, impact.com…) or Generic for any other."
          }
          data={(plugins.data?.adapters ?? []).map((a) => ({ value: a.id, label: a.displayName }))}
          value={adapterId}
          disabled={!!network}
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
        defaultValue={network?.defaultCurrency ?? 'USD'}
        maxLength={3}
        description="Three letters (USD, EUR…): used when a postback names no currency"
        error={errors.of('defaultCurrency')}
      />
      <TextInput
        label="Attribution window (days)"
        name="attributionWindowDays"
        inputMode="numeric"
        defaultValue={network ? String(network.attributionWindowDays) : ''}
        placeholder="30"
        description="How long after a click a conversion still counts for it"
        error={errors.of('attributionWindowDays')}
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
      <TagsField items="networks" value={tags} onChange={setTags} errors={errors} />
    </ApiForm>
  );
}

/** The version a new item's form pretends to start from (a create sends none). */
const PLACEHOLDER_VERSION = { version: 0 };

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
