import { Badge, Button, Checkbox, MultiSelect, PasswordInput, Select, Stack, Table, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser, type Role } from '../../auth/session';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { RowDangerButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { EmptyState, ErrorNote } from '../../components/states';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useCreateUser, useDeleteUser, useUsers } from './queries';

export default function Users() {
  const me = useUser();
  const users = useUsers();
  const campaigns = useCampaigns();
  const names = nameMap(campaigns.data);
  const [creating, setCreating] = useState(false);
  const remove = useDeleteUser();
  return (
    <Stack>
      <PageHeader title="Users">
        <Button onClick={() => setCreating(true)}>Add user</Button>
      </PageHeader>
      <ErrorNote error={remove.error} />
      <ListState query={users} rows={users.data} empty={<EmptyState title="No users" />}>
        {(rows) => (
          <Table striped aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Campaigns</Table.Th>
                <Table.Th>Profit</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{u.role}</Badge>
                  </Table.Td>
                  <Table.Td>{u.role === 'client' ? u.campaignIds.map((id) => names.get(id) ?? id).join(', ') || 'none' : 'all'}</Table.Td>
                  <Table.Td>{u.hideProfit ? 'hidden' : 'shown'}</Table.Td>
                  <Table.Td ta="right">
                    {u.id !== me.id && <RowDangerButton onClick={() => confirm(`Delete ${u.email}?`) && remove.mutate(u.id)}>Delete</RowDangerButton>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <SideDrawer opened={creating} onClose={() => setCreating(false)} title="Add user">
        <UserForm onDone={() => setCreating(false)} />
      </SideDrawer>
    </Stack>
  );
}

function UserForm({ onDone }: { onDone: () => void }) {
  const campaigns = useCampaigns();
  const [role, setRole] = useState<Role>('client');
  const [campaignIds, setCampaignIds] = useState<string[]>([]);
  const [hideProfit, setHideProfit] = useState(false);
  const create = useCreateUser(onDone);
  const errors = useFieldErrors(create.error, ['email', 'password', 'role', 'campaignIds', 'hideProfit']);
  function submit(data: FormData) {
    create.mutate({
      email: String(data.get('email')),
      password: String(data.get('password')),
      role,
      ...(role === 'client' ? { campaignIds, hideProfit } : {}),
    });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={create.isPending} submitLabel="Create user">
      <TextInput label="E-mail" name="email" type="email" required error={errors.of('email')} />
      <PasswordInput label="Password" name="password" required description="At least 12 characters" autoComplete="new-password" error={errors.of('password')} />
      <Select
        label="Role"
        data={[
          { value: 'admin', label: 'Admin: everything' },
          { value: 'manager', label: 'Manager: everything but users, API keys and secrets' },
          { value: 'client', label: 'Client: read-only, its campaigns only' },
        ]}
        value={role}
        onChange={(v) => setRole((v as Role) ?? 'client')}
        allowDeselect={false}
      />
      {role === 'client' && (
        <>
          <MultiSelect
            label="Campaigns this client sees"
            data={(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={campaignIds}
            onChange={(ids) => {
              setCampaignIds(ids);
              errors.clear('campaignIds');
            }}
            searchable
            error={errors.of('campaignIds')}
          />
          <Checkbox label="Hide cost, profit and ROI" checked={hideProfit} onChange={(e) => setHideProfit(e.currentTarget.checked)} />
        </>
      )}
    </ApiForm>
  );
}
