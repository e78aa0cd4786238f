import { Badge, Button, Code, Group, Paper, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ShownOnce } from '../../components/Secret';
import { ApiForm, FieldWarnings, sourcePostbackUrlWarnings, useFieldErrors, TagsField } from '../../components/forms';
import { AddAndDetailsDrawers, useAddAndDetails } from '../../components/AddAndDetailsDrawers';
import { RowActionButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { LifecycleTable, ShowFilter, StaleEditNote, useEditBase, useShown } from '../../components/lifecycle';
import { SideDrawer } from '../../components/SideDrawer';
import { isStaleEdit } from '../../lib/lifecycle';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { usePlugins, type Preset } from '../../lib/plugins';
import { SourceForwardingRules } from './source-forwarding-rules';
import { SourceTarget } from './source-target';
import { TestDeliveryPanel } from './test-delivery-panel';
import { TokensEditor } from './TokensEditor';
import { sourceHealthText } from '../../lib/source-health';
import {
  useCreateSigningSecret,
  useCreateTrafficSource,
  useSigningSecrets,
  useEditTrafficSource,
  useTrafficSources,
  useUpdateTrafficSource,
  type TrafficSource,
} from './queries';

export default function TrafficSources() {
  const [shown, setShown] = useShown();
  const sources = useTrafficSources({ shown });
  const drawers = useAddAndDetails(sources.data);
  const [editing, setEditing] = useState<string | null>(null);
  const edited = sources.data?.find((s) => s.id === editing);
  return (
    <Stack>
      <PageHeader title="Traffic sources">
        <Group>
          <ShowFilter shown={shown} onChange={setShown} />
          <Button onClick={drawers.startCreating}>Add traffic source</Button>
        </Group>
      </PageHeader>
      <ListState
        query={sources}
        rows={sources.data}
        empty={
          shown === 'archived' ? (
            <EmptyState title="No archived traffic sources" />
          ) : (
            <EmptyState title="No traffic sources yet" action={{ label: 'Add traffic source', onClick: drawers.startCreating }}>
              Add the ad network that sends you clicks. Postwire forwards each conversion to its postback URL.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <LifecycleTable
            label="Traffic sources"
            kind="traffic-sources"
            rows={rows}
            shown={shown}
            nameOf={(s) => s.name}
            onEdit={(s) => setEditing(s.id)}
            columns={[
              { header: 'Name', cell: (s) => (s.preset ? `${s.name} (${s.preset})` : s.name) },
              {
                header: 'Postback URL',
                cell: (s) => (
                  <Text ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                    {s.method} {s.postbackUrl}
                  </Text>
                ),
              },
              {
                header: 'Deliveries',
                cell: (s) =>
                  !s.enabled ? (
                    <Badge color="gray">disabled</Badge>
                  ) : s.failing ? (
                    <Stack gap={2} align="start">
                      <Badge color="red">failing</Badge>
                      <Text size="xs">{sourceHealthText(s)}</Text>
                    </Stack>
                  ) : s.deadDeliveries ? (
                    <Badge color="yellow">{s.deadDeliveries} dead</Badge>
                  ) : (
                    <Badge color="teal" variant="light">
                      ok
                    </Badge>
                  ),
              },
            ]}
            rowButtons={(s) => <RowActionButton onClick={() => drawers.openItem(s.id)}>Test & settings</RowActionButton>}
          />
        )}
      </ListState>
      <AddAndDetailsDrawers
        drawers={drawers}
        addTitle="Add traffic source"
        form={(onDone) => <SourceForm onDone={onDone} />}
        details={(item) => <SourceDetails source={item} />}
      />
      <SideDrawer opened={!!edited} onClose={() => setEditing(null)} title={`Edit ${edited?.name ?? ''}`} size="lg">
        {edited && <EditSource source={edited} onDone={() => setEditing(null)} />}
      </SideDrawer>
    </Stack>
  );
}

/** The edit drawer's body: the form, remounted on "Reload" so it shows the latest version. */
function EditSource({ source, onDone }: { source: TrafficSource; onDone: () => void }) {
  const [generation, setGeneration] = useState(0);
  return <SourceEditForm key={generation} source={source} onDone={onDone} onReload={() => setGeneration((g) => g + 1)} />;
}

/** Edits a source's own fields (its forwarding rules are in "Test & settings"). */
function SourceEditForm({ source, onDone, onReload }: { source: TrafficSource; onDone: () => void; onReload: () => void }) {
  const [postbackUrl, setPostbackUrl] = useState(source.postbackUrl);
  const [method, setMethod] = useState<'GET' | 'POST'>(source.method);
  const [tags, setTags] = useState<string[]>(source.tags);
  const update = useEditTrafficSource(source.id);
  const edit = useEditBase(source);
  const stale = isStaleEdit(update.error);
  const errors = useFieldErrors(stale ? null : update.error, ['name', 'postbackUrl', 'method', 'tags']);
  function submit(data: FormData) {
    update.mutate({ name: String(data.get('name')), postbackUrl, method, tags, version: edit.version }, { onSuccess: onDone });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={update.isPending} submitLabel="Save traffic source">
      {stale && <StaleEditNote loaded={edit.base} latest={source} onReload={onReload} onReview={edit.review} />}
      <TextInput label="Name" name="name" required defaultValue={source.name} error={errors.of('name')} />
      <TextInput
        label="Postback URL"
        name="postbackUrl"
        required
        value={postbackUrl}
        onChange={(e) => setPostbackUrl(e.currentTarget.value)}
        description="Where each conversion is sent. {external_id} is the source's own click id."
        error={errors.of('postbackUrl')}
      />
      <FieldWarnings warnings={sourcePostbackUrlWarnings(postbackUrl)} />
      <Select
        label="Method"
        data={['GET', 'POST']}
        value={method}
        onChange={(v) => setMethod((v as 'GET' | 'POST') ?? 'GET')}
        allowDeselect={false}
        error={errors.of('method')}
      />
      <TagsField items="sources" value={tags} onChange={setTags} errors={errors} />
    </ApiForm>
  );
}

function SourceForm({ onDone }: { onDone: (s: TrafficSource) => void }) {
  const plugins = usePlugins();
  const [preset, setPreset] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [method, setMethod] = useState<'GET' | 'POST'>('GET');
  const [postbackUrl, setPostbackUrl] = useState('');
  const presets: Preset[] = plugins.data?.presets ?? [];
  const chosen = presets.find((p) => p.id === preset);
  const placeholders = chosen ? [...new Set((chosen.postbackUrlTemplate ?? '').match(/\bYOUR_[A-Z0-9_]+\b/g) ?? [])] : [];
  const create = useCreateTrafficSource(onDone);
  const errors = useFieldErrors(create.error, ['name', 'preset', 'presetValues', 'postbackUrl', 'method']);
  function submit(data: FormData) {
    const name = String(data.get('name'));
    if (preset)
      create.mutate({
        name,
        preset,
        presetValues: values,
        ...(chosen?.postbackUrlTemplate === null ? { postbackUrl: String(data.get('postbackUrl') ?? '') } : {}),
      });
    else create.mutate({ name, postbackUrl, method });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={create.isPending} submitLabel="Create traffic source">
      <TextInput label="Name" name="name" required error={errors.of('name')} />
      <Select
        label="Preset"
        description="A known ad network fills in its postback URL and status words"
        clearable
        placeholder="None: enter the postback URL yourself"
        data={presets.map((p) => ({ value: p.id, label: p.displayName }))}
        value={preset}
        onChange={(v) => {
          setPreset(v);
          errors.clear('preset');
        }}
        error={errors.of('preset')}
      />
      {chosen ? (
        <>
          {chosen.postbackUrlTemplate !== null ? (
            <Text size="sm">
              URL: <Code>{chosen.postbackUrlTemplate}</Code>
            </Text>
          ) : (
            <TextInput
              label="Postback URL"
              name="postbackUrl"
              required
              description="This source has no postback URL of its own: give the one from its dashboard."
              error={errors.of('postbackUrl')}
            />
          )}
          {placeholders.map((p) => (
            <TextInput
              key={p}
              label={p}
              name={`presetValues.${p}`}
              required
              value={values[p] ?? ''}
              onChange={(e) => setValues({ ...values, [p]: e.currentTarget.value })}
              error={errors.of(`presetValues.${p}`) ?? (placeholders[0] === p ? errors.of('presetValues') : undefined)}
            />
          ))}
        </>
      ) : (
        <>
          <TextInput
            label="Postback URL"
            name="postbackUrl"
            required
            value={postbackUrl}
            onChange={(e) => setPostbackUrl(e.currentTarget.value)}
            placeholder="https://source.example/pb?clickid={external_id}&payout={payout}"
            description="Where each conversion is sent. {external_id} is the source's own click id. Also {payout} {revenue} {status} {txid} {goal} {currency} {click_id} {campaign_id} {sub1}…{sub10}"
            error={errors.of('postbackUrl')}
          />
          <FieldWarnings warnings={sourcePostbackUrlWarnings(postbackUrl)} />
          <Select
            label="Method"
            data={['GET', 'POST']}
            value={method}
            onChange={(v) => setMethod((v as 'GET' | 'POST') ?? 'GET')}
            allowDeselect={false}
            error={errors.of('method')}
          />
        </>
      )}
    </ApiForm>
  );
}

function SourceDetails({ source }: { source: TrafficSource }) {
  const user = useUser();
  const [url, setUrl] = useState(source.postbackUrl);
  const update = useUpdateTrafficSource(source.id);
  const secrets = useSigningSecrets(source.id, { enabled: user.role === 'admin' });
  const [shown, setShown] = useState<string | null>(null);
  const newSecret = useCreateSigningSecret(source.id);
  return (
    <Stack>
      <TestDeliveryPanel sourceId={source.id} />
      <TokensEditor source={source} />
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          Forwarding settings
        </Title>
        <Stack gap="xs">
          <TextInput label="Postback URL" value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
          <Group>
            <Button
              size="xs"
              onClick={() => update.mutate({ postbackUrl: url, version: source.version })}
              disabled={url === source.postbackUrl}
              loading={update.isPending}
            >
              Save URL
            </Button>
            <Switch label="Enabled" checked={source.enabled} onChange={(e) => update.mutate({ enabled: e.currentTarget.checked, version: source.version })} />
          </Group>
          <ErrorNote error={update.error} />
        </Stack>
      </Paper>
      <SourceTarget source={source} />
      <SourceForwardingRules source={source} />
      {user.role === 'admin' && (
        <Paper withBorder p="sm">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5">
              Signing secrets
            </Title>
            <Button size="xs" onClick={() => newSecret.mutate(undefined, { onSuccess: (made) => setShown(made.secret) })} loading={newSecret.isPending}>
              New signing secret
            </Button>
          </Group>
          <Text size="sm" c="dimmed" mb="xs">
            With a secret, every delivery carries Standard Webhooks signature headers the source can check.
          </Text>
          {shown && <ShownOnce label="Signing secret" value={shown} />}
          <ErrorNote error={newSecret.error ?? secrets.error} />
          {(secrets.data ?? []).map((s) => (
            <Text key={s.id} size="sm">
              {s.id.slice(0, 8)} · created {formatDateTime(s.createdAt, user.timeZone)} {s.revokedAt ? '· revoked' : ''}
            </Text>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
