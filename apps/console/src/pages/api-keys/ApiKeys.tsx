import { Badge, Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ShownOnce } from '../../components/Secret';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { DeleteDialog, History, RowMenu, StaleEditNote, StateBadge, useEditBase } from '../../components/lifecycle';
import { SideDrawer } from '../../components/SideDrawer';
import { isStaleEdit } from '../../lib/lifecycle';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useApiKeys, useApiKeySwitch, useCreateApiKey, useRenameApiKey, useRevokeApiKey, type ApiKey } from './queries';

export default function ApiKeys() {
  const user = useUser();
  const keys = useApiKeys();
  const [scope, setScope] = useState<'admin' | 'read'>('read');
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const toggle = useApiKeySwitch();
  const [renaming, setRenaming] = useState<ApiKey | null>(null);
  const [historyOf, setHistoryOf] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <Stack>
      <PageHeader title="API keys" />
      <Group align="end">
        <Select
          label="Scope"
          data={[
            { value: 'read', label: 'read: may only read' },
            { value: 'admin', label: 'admin: everything' },
          ]}
          value={scope}
          onChange={(v) => setScope((v as 'admin' | 'read') ?? 'read')}
          allowDeselect={false}
        />
        <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} placeholder="e.g. reporting script" />
        <Button
          onClick={() => create.mutate({ scope, ...(label ? { label } : {}) }, { onSuccess: (made) => setShown(made.key ?? null) })}
          loading={create.isPending}
        >
          New API key
        </Button>
      </Group>
      {shown && <ShownOnce label="API key" value={shown} />}
      <ErrorNote error={create.error ?? toggle.disable.error ?? toggle.enable.error} />
      <ListState
        query={keys}
        rows={keys.data}
        empty={<EmptyState title="No API keys">Scripts use API keys (Authorization: Bearer …). Make one above.</EmptyState>}
      >
        {(rows) => (
          <Table striped aria-label="API keys">
            <Table.Tbody>
              {rows.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    <Group gap={6}>
                      {k.label ?? k.id.slice(0, 8)}
                      <StateBadge disabled={!!k.disabledAt} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{k.scope}</Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(k.createdAt, user.timeZone)}</Table.Td>
                  <Table.Td>{k.createdBy ? `by ${k.createdBy.email}` : 'maker unknown'}</Table.Td>
                  <Table.Td ta="right">
                    <RowMenu
                      name={k.label ?? k.id.slice(0, 8)}
                      actions={{
                        edit: () => setRenaming(k),
                        disable: k.disabledAt ? undefined : () => toggle.disable.mutate(k.id),
                        enable: k.disabledAt ? () => toggle.enable.mutate(k.id) : undefined,
                        history: () => setHistoryOf(k),
                        remove: () => {
                          revoke.reset();
                          setRevoking(k);
                        },
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <SideDrawer opened={!!renaming} onClose={() => setRenaming(null)} title="Rename API key">
        {renaming && <RenameKey key={renaming.id} apiKey={keys.data?.find((k) => k.id === renaming.id) ?? renaming} onDone={() => setRenaming(null)} />}
      </SideDrawer>
      <SideDrawer opened={!!historyOf} onClose={() => setHistoryOf(null)} title={`History of ${historyOf?.label ?? 'API key'}`} size="lg">
        {historyOf && <History kind="api-keys" id={historyOf.id} />}
      </SideDrawer>
      <DeleteDialog
        name={revoking?.label ?? 'this API key'}
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        onDelete={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        pending={revoke.isPending}
        error={revoke.error}
      />
    </Stack>
  );
}

/** Renames a key (its label); the key itself never changes. */
function RenameKey({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const rename = useRenameApiKey(apiKey.id);
  const edit = useEditBase(apiKey);
  const stale = isStaleEdit(rename.error);
  const errors = useFieldErrors(stale ? null : rename.error, ['label']);
  return (
    <ApiForm
      onSubmit={(data) => rename.mutate({ label: String(data.get('label') ?? '').trim() || null, version: edit.version }, { onSuccess: onDone })}
      errors={errors}
      pending={rename.isPending}
      submitLabel="Save"
    >
      {stale && <StaleEditNote loaded={edit.base} latest={apiKey} onReload={onDone} onReview={edit.review} />}
      <TextInput
        label="Label"
        name="label"
        defaultValue={apiKey.label ?? ''}
        description="What the key is for, e.g. reporting script"
        error={errors.of('label')}
      />
    </ApiForm>
  );
}
