import {
  ActionIcon,
  Alert,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { StaleEditNote } from '../../components/lifecycle';
import { ErrorNote } from '../../components/states';
import { conversionLabel } from '../../lib/conversion-label';
import { isStaleEdit } from '../../lib/lifecycle';
import {
  useForwardingTargets,
  useRecentConversions,
  useSaveSourceTarget,
  useSourceTarget,
  useTargetPreview,
  type ForwardingTarget,
  type SourceTarget as SourceTargetView,
  type TargetBody,
  type TrafficSource,
} from './queries';

type Rule = TargetBody['mapping'][number];
const STATUSES = ['pending', 'approved', 'declined', 'refunded'] as const;
const NOT_SENT = '__not_sent__';
const ANY = '__any__';

/**
 * Where the source's conversions go: the built-in postback URL (the settings below) or a target plugin such as
 * the Meta Conversions API, with its settings (secrets masked), its event mapping and a preview of the exact
 * request a stored conversion would make (docs/forwarding.md#targets).
 */
export function SourceTarget({ source }: { source: TrafficSource }) {
  const targets = useForwardingTargets();
  const stored = useSourceTarget(source.id);
  const [draft, setDraft] = useState<TargetBody | null>(null);
  // The target as the form loaded it: its `version` goes with the save, so a colleague's change meanwhile is a 409.
  const [base, setBase] = useState<SourceTargetView | null>(null);
  const load = (target: SourceTargetView) => {
    setBase(target);
    setDraft({ targetId: target.targetId, config: target.config, mapping: target.mapping });
  };
  useEffect(() => {
    if (stored.data && !draft) load(stored.data);
  }, [stored.data, draft]);
  const save = useSaveSourceTarget(source.id);
  const target = targets.data?.find((t) => t.id === draft?.targetId);
  if (!draft || !base || !targets.data) return <ErrorNote error={targets.error ?? stored.error} />;
  const plugin = draft.targetId !== 'postback-url';
  const stale = isStaleEdit(save.error);
  return (
    <Paper withBorder p="sm" data-testid="source-target">
      <Title order={3} size="h5" mb="xs">
        Forwarding target
      </Title>
      <Stack gap="xs">
        {stale && stored.data && (
          <StaleEditNote
            loaded={base}
            latest={stored.data}
            onReload={() => {
              save.reset();
              load(stored.data!);
            }}
            onReview={() => setBase(stored.data!)}
          />
        )}
        <Select
          label="Target"
          value={draft.targetId}
          allowDeselect={false}
          data={targets.data.map((t) => ({ value: t.id, label: t.displayName }))}
          onChange={(id) => id && setDraft({ targetId: id, config: id === base.targetId ? base.config : {}, mapping: [] })}
        />
        {!plugin && (
          <Text size="sm" c="dimmed">
            Conversions go to the postback URL below, with the forwarding rules below.
          </Text>
        )}
        {plugin && target && (
          <>
            <TargetConfigFields target={target} config={draft.config} onChange={(config) => setDraft({ ...draft, config })} />
            <EventMapping target={target} mapping={draft.mapping} onChange={(mapping) => setDraft({ ...draft, mapping })} />
          </>
        )}
        <Group>
          <Button size="xs" onClick={() => save.mutate({ ...draft, version: base.version }, { onSuccess: load })} loading={save.isPending}>
            Save target
          </Button>
          {save.isSuccess && !save.isPending && (
            <Text size="sm" c="teal.9">
              Saved
            </Text>
          )}
        </Group>
        {!stale && <ErrorNote error={save.error} />}
        {plugin && <TargetPreviewPanel sourceId={source.id} draft={draft} />}
      </Stack>
    </Paper>
  );
}

/** One input per setting of the target's schema; secret ones as password fields showing the mask. */
function TargetConfigFields({
  target,
  config,
  onChange,
}: {
  target: ForwardingTarget;
  config: TargetBody['config'];
  onChange: (c: TargetBody['config']) => void;
}) {
  const set = (key: string, value: string | boolean | undefined) => {
    const next = { ...config };
    if (value === undefined || value === '') delete next[key];
    else next[key] = value;
    onChange(next);
  };
  return (
    <Stack gap="xs">
      {Object.entries(target.configSchema).map(([key, field]) => {
        const label = field.title ?? key;
        const value = config[key];
        if (field.type === 'boolean')
          return (
            <Switch key={key} label={label} description={field.description} checked={value === true} onChange={(e) => set(key, e.currentTarget.checked)} />
          );
        const Input = field.secret ? PasswordInput : TextInput;
        return (
          <Input
            key={key}
            label={label}
            description={field.help ?? field.description}
            placeholder={field.default !== undefined ? String(field.default) : undefined}
            required={field.required}
            value={value === undefined ? '' : String(value)}
            onChange={(e) => set(key, e.currentTarget.value)}
          />
        );
      })}
    </Stack>
  );
}

/** The operator's rules, first match wins: status and/or goal → the platform's event, or not sent. */
function EventMapping({ target, mapping, onChange }: { target: ForwardingTarget; mapping: Rule[]; onChange: (m: Rule[]) => void }) {
  const update = (i: number, rule: Rule) => onChange(mapping.map((r, k) => (k === i ? rule : r)));
  const events = [...target.events.map((e) => ({ value: e, label: e })), { value: NOT_SENT, label: 'not sent' }];
  const defaults = target.defaultMapping.map((r) => `${r.status ?? 'any status'}${r.goal ? ` + goal ${r.goal}` : ''} → ${r.event ?? 'not sent'}`).join(', ');
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Event mapping
      </Text>
      <Text size="xs" c="dimmed">
        The first matching rule decides; a conversion no rule matches is not sent. {mapping.length === 0 && `Without rules: ${defaults}.`}
      </Text>
      {mapping.length > 0 && (
        <Table aria-label="Event mapping">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Status</Table.Th>
              <Table.Th>Goal</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>
                <VisuallyHidden>Remove</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mapping.map((rule, i) => (
              <Table.Tr key={i}>
                <Table.Td>
                  <Select
                    aria-label={`Rule ${i + 1} status`}
                    size="xs"
                    allowDeselect={false}
                    value={rule.status ?? ANY}
                    data={[{ value: ANY, label: 'any status' }, ...STATUSES.map((s) => ({ value: s, label: s }))]}
                    onChange={(v) => update(i, { ...rule, status: v === ANY || !v ? undefined : (v as Rule['status']) })}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Rule ${i + 1} goal`}
                    size="xs"
                    placeholder="any goal"
                    value={rule.goal ?? ''}
                    onChange={(e) => update(i, { ...rule, goal: e.currentTarget.value || undefined })}
                  />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Rule ${i + 1} event`}
                    size="xs"
                    allowDeselect={false}
                    value={rule.event ?? NOT_SENT}
                    data={events}
                    onChange={(v) => update(i, { ...rule, event: v === NOT_SENT || !v ? null : v })}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove rule ${i + 1}`} onClick={() => onChange(mapping.filter((_, k) => k !== i))}>
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...mapping, { status: 'approved', event: target.events[0] ?? null }])}>
          Add rule
        </Button>
      </Group>
    </Stack>
  );
}

/** The exact request the draft target would send for a chosen stored conversion (personal data hashed, credentials masked). */
function TargetPreviewPanel({ sourceId, draft }: { sourceId: string; draft: TargetBody }) {
  const conversions = useRecentConversions();
  const preview = useTargetPreview(sourceId);
  const [conversionId, setConversionId] = useState<string | null>(null);
  const payload = JSON.stringify(draft);
  const { mutate } = preview;
  useEffect(() => {
    if (!conversionId) return;
    const timer = setTimeout(() => mutate({ conversionId, target: JSON.parse(payload) as TargetBody }), 300);
    return () => clearTimeout(timer);
  }, [conversionId, payload, mutate]);
  return (
    <Stack gap="xs" data-testid="target-preview">
      <Select
        label="Preview the request for a conversion"
        placeholder={conversions.data?.length ? 'pick a recent conversion' : 'no conversions yet'}
        value={conversionId}
        onChange={setConversionId}
        searchable
        data={(conversions.data ?? []).map((c) => ({
          value: c.id,
          label: conversionLabel(c),
        }))}
      />
      <ErrorNote error={preview.error} />
      {preview.data && conversionId && (
        <Alert
          color={preview.data.sent ? 'teal' : 'yellow'}
          title={
            // The theme's text colour: the alert's own title tint is too faint on its background (axe: colour contrast).
            <Text fw={700} size="sm" c="var(--mantine-color-text)">
              {preview.data.sent ? `Would send ${preview.data.event ?? 'the event'}` : `Would not be sent: ${preview.data.reason}`}
            </Text>
          }
        >
          {preview.data.request && (
            <>
              <Text size="sm">
                {preview.data.request.method} <Code>{preview.data.request.url}</Code>
              </Text>
              {preview.data.request.body && (
                <Code block mt="xs" data-testid="target-preview-body">
                  {pretty(preview.data.request.body)}
                </Code>
              )}
            </>
          )}
        </Alert>
      )}
    </Stack>
  );
}

/** A JSON body indented for reading; any other body as it is. */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
