import { Badge, Button, Group, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ShownOnce } from '../../components/Secret';
import { RowDangerButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './queries';

export default function ApiKeys() {
  const user = useUser();
  const keys = useApiKeys();
  const [scope, setScope] = useState<'admin' | 'read'>('read');
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
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
      <ErrorNote error={create.error ?? revoke.error} />
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
                  <Table.Td>{k.label ?? k.id.slice(0, 8)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{k.scope}</Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(k.createdAt, user.timeZone)}</Table.Td>
                  <Table.Td>{k.createdBy ? `by ${k.createdBy.email}` : 'maker unknown'}</Table.Td>
                  <Table.Td ta="right">
                    <RowDangerButton onClick={() => revoke.mutate(k.id)}>Revoke</RowDangerButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
    </Stack>
  );
}
