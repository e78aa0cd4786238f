import { Badge, Button, Checkbox, Group, MultiSelect, PasswordInput, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useUser, type Role } from '../../auth/session';
import { ApiForm, useFieldErrors } from '../../components/forms';
import { DeleteDialog, History, RowMenu, StaleEditNote, StateBadge, useEditBase } from '../../components/lifecycle';
import { isStaleEdit } from '../../lib/lifecycle';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { EmptyState, ErrorNote } from '../../components/states';
import { nameMap } from '../../lib/names';
import { useCampaigns } from '../campaigns/queries';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers, useUserSwitch, type User } from './queries';

export default function Users() {
  const me = useUser();
  const users = useUsers();
  const campaigns = useCampaigns();
  const names = nameMap(campaigns.data);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const edited = users.data?.find((u) => u.id === editing);
  const remove = useDeleteUser();
  const toggle = useUserSwitch();
  return (
    <Stack>
      <PageHeader title="Users">
        <Button onClick={() => setCreating(true)}>Add user</Button>
      </PageHeader>
      <ErrorNote error={toggle.disable.error ?? toggle.enable.error} />
      <ListState query={users} rows={users.data} empty={<EmptyState title="No users" />}>
        {(rows) => (
          <Table striped aria-label="Users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Campaigns</Table.Th>
                <Table.Th>Profit</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    <Group gap={6}>
                      {u.email}
                      {u.name && (
                        <Text span size="sm" c="dimmed">
                          ({u.name})
                        </Text>
                      )}
                      <StateBadge disabled={u.status === 'disabled'} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{u.role}</Badge>
                  </Table.Td>
                  <Table.Td>{u.role === 'client' ? u.campaignIds.map((id) => names.get(id) ?? id).join(', ') || 'none' : 'all'}</Table.Td>
                  <Table.Td>{u.hideProfit ? 'hidden' : 'shown'}</Table.Td>
                  <Table.Td ta="right">
                    <RowMenu
                      name={u.email}
                      actions={{
                        edit: () => setEditing(u.id),
                        history: () => setHistoryOf(u),
                        ...(u.id === me.id
                          ? {}
                          : {
                              disable: u.status === 'disabled' ? undefined : () => toggle.disable.mutate(u.id),
                              enable: u.status === 'disabled' ? () => toggle.enable.mutate(u.id) : undefined,
                              remove: () => {
                                remove.reset();
                                setDeleting(u);
                              },
                            }),
                      }}
                    />
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
      <SideDrawer opened={!!edited} onClose={() => setEditing(null)} title={`Edit ${edited?.email ?? ''}`}>
        {edited && <EditUser user={edited} onDone={() => setEditing(null)} />}
      </SideDrawer>
      <SideDrawer opened={!!historyOf} onClose={() => setHistoryOf(null)} title={`History of ${historyOf?.email ?? ''}`} size="lg">
        {historyOf && <History kind="users" id={historyOf.id} />}
      </SideDrawer>
      <DeleteDialog
        name={deleting?.email ?? ''}
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        onDelete={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        pending={remove.isPending}
        error={remove.error}
      />
    </Stack>
  );
}

/** The edit drawer's body: the form, remounted on "Reload" so it shows the latest version. */
function EditUser({ user, onDone }: { user: User; onDone: () => void }) {
  const [generation, setGeneration] = useState(0);
  return <UserForm key={generation} user={user} onDone={onDone} onReload={() => setGeneration((g) => g + 1)} />;
}

type ClientViewExtra = User['clientSees'][number];
/** The extras a client may be allowed, in the API's words (`clientSees`). */
const CLIENT_VIEW_LABELS: ReadonlyArray<[ClientViewExtra, string]> = [
  ['traffic_source', 'Traffic-source names, postback URLs and their answers'],
  ['visitor', 'Visitor IP addresses and user agents'],
  ['raw_params', 'Raw postback parameters'],
];

/** Adds a user, or (given one) edits it: name, role, campaigns, profit; a new password ends its sessions. */
function UserForm({ user, onDone, onReload }: { user?: User; onDone: () => void; onReload?: () => void }) {
  const campaigns = useCampaigns();
  const [role, setRole] = useState<Role>(user?.role ?? 'client');
  const [campaignIds, setCampaignIds] = useState<string[]>(user?.campaignIds ?? []);
  const [hideProfit, setHideProfit] = useState(user?.hideProfit ?? false);
  const [clientSees, setClientSees] = useState<ClientViewExtra[]>(user?.clientSees ?? []);
  const create = useCreateUser(onDone);
  const update = useUpdateUser(user?.id ?? '');
  const edit = useEditBase(user ?? { version: 0 });
  const saving = user ? update : create;
  const stale = isStaleEdit(saving.error);
  const errors = useFieldErrors(stale ? null : saving.error, ['email', 'password', 'name', 'role', 'campaignIds', 'hideProfit', 'clientSees']);
  function submit(data: FormData) {
    const password = String(data.get('password') ?? '');
    const name = String(data.get('name') ?? '').trim();
    const fields = { email: String(data.get('email')), role, ...(role === 'client' ? { campaignIds, hideProfit, clientSees } : {}) };
    if (user) update.mutate({ ...fields, name: name || null, ...(password ? { password } : {}), version: edit.version }, { onSuccess: onDone });
    else create.mutate({ ...fields, password, ...(name ? { name } : {}) });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={saving.isPending} submitLabel={user ? 'Save user' : 'Create user'}>
      {user && stale && <StaleEditNote loaded={edit.base} latest={user} onReload={onReload ?? (() => undefined)} onReview={edit.review} />}
      <TextInput label="E-mail" name="email" type="email" required defaultValue={user?.email} error={errors.of('email')} />
      <TextInput
        label="Name"
        name="name"
        defaultValue={user?.name ?? ''}
        description="Optional: how the user is shown in the audit log"
        error={errors.of('name')}
      />
      <PasswordInput
        label={user ? 'New password' : 'Password'}
        name="password"
        required={!user}
        description={user ? 'Leave empty to keep the current one. A new one signs the user out everywhere.' : 'At least 12 characters'}
        autoComplete="new-password"
        error={errors.of('password')}
      />
      <Select
        label="Role"
        data={[
          { value: 'admin', label: 'Admin: everything' },
          { value: 'manager', label: 'Manager: everything but users, API keys and secrets' },
          { value: 'client', label: 'Client: read-only, its campaigns only' },
        ]}
        value={role}
        onChange={(v) => {
          setRole((v as Role) ?? 'client');
          errors.clear('role');
        }}
        allowDeselect={false}
        error={errors.of('role')}
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
          <Checkbox.Group
            label="This client also sees"
            description="Hidden from clients unless ticked, in the console and in every API answer"
            value={clientSees}
            onChange={(v) => setClientSees(v as ClientViewExtra[])}
            error={errors.of('clientSees')}
          >
            <Stack gap={4} mt={4}>
              {CLIENT_VIEW_LABELS.map(([value, label]) => (
                <Checkbox key={value} value={value} label={label} />
              ))}
            </Stack>
          </Checkbox.Group>
        </>
      )}
    </ApiForm>
  );
}
