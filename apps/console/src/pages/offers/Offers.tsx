import { Badge, Button, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiForm, DecimalInput, FieldWarnings, offerUrlWarnings, useFieldErrors } from '../../components/forms';
import { RowActionButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { formatMoney } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useNetworks } from '../networks/queries';
import { useCreateOffer, useGoalRules, useOffers, useSaveGoalRule, type Offer } from './queries';

export default function Offers() {
  const offers = useOffers();
  const networks = useNetworks();
  const names = nameMap(networks.data);
  const [creating, setCreating] = useState(false);
  const [goalsOf, setGoalsOf] = useState<Offer | null>(null);
  const noNetworks = networks.data && networks.data.length === 0;
  return (
    <Stack>
      <PageHeader title="Offers">
        <Button onClick={() => setCreating(true)} disabled={noNetworks}>
          Add offer
        </Button>
      </PageHeader>
      <ListState
        query={offers}
        rows={offers.data}
        blocker={
          noNetworks && (
            <EmptyState title="Add a network first" action={{ label: 'Add network', to: '/setup/networks' }}>
              An offer belongs to the network that pays for it.
            </EmptyState>
          )
        }
        empty={
          <EmptyState title="No offers yet" action={{ label: 'Add offer', onClick: () => setCreating(true) }}>
            Add the offer you send traffic to, with its URL. Put {'{click_id}'} where the network expects your click id.
          </EmptyState>
        }
      >
        {(rows) => (
          <Table striped aria-label="Offers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Network</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th ta="right">Default payout</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>{o.name}</Table.Td>
                  <Table.Td>{names.get(o.networkId) ?? o.networkId}</Table.Td>
                  <Table.Td ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                    {o.url}
                  </Table.Td>
                  <Table.Td ta="right">{formatMoney(o.payout, networks.data?.find((n) => n.id === o.networkId)?.defaultCurrency ?? 'USD')}</Table.Td>
                  <Table.Td ta="right">
                    <RowActionButton onClick={() => setGoalsOf(o)}>Goals</RowActionButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </ListState>
      <SideDrawer opened={creating} onClose={() => setCreating(false)} title="Add offer" size="lg">
        <OfferForm onDone={() => setCreating(false)} />
      </SideDrawer>
      <SideDrawer opened={!!goalsOf} onClose={() => setGoalsOf(null)} title={`Goals of ${goalsOf?.name ?? ''}`} size="lg">
        {goalsOf && <Goals offer={goalsOf} />}
      </SideDrawer>
    </Stack>
  );
}

function OfferForm({ onDone }: { onDone: () => void }) {
  const networks = useNetworks();
  const [networkId, setNetworkId] = useState<string | null>(networks.data?.[0]?.id ?? null);
  const [url, setUrl] = useState('');
  const [payout, setPayout] = useState('');
  const create = useCreateOffer(onDone);
  const errors = useFieldErrors(create.error, OFFER_FIELDS);
  function submit(data: FormData) {
    const amount = errors.decimal('payout', payout);
    if (amount === null) return;
    create.mutate({ name: String(data.get('name')), networkId: networkId ?? '', url, ...(amount ? { payout: amount } : {}) });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={create.isPending} submitLabel="Create offer">
      <TextInput label="Name" name="name" required error={errors.of('name')} />
      <Select
        label="Network"
        description="The network that pays for this offer"
        data={(networks.data ?? []).map((n) => ({ value: n.id, label: n.name }))}
        value={networkId}
        onChange={(v) => {
          setNetworkId(v);
          errors.clear('networkId');
        }}
        required
        allowDeselect={false}
        error={errors.of('networkId')}
      />
      <TextInput
        label="Offer URL"
        name="url"
        required
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
        placeholder="https://network.example/offer?aff_sub={click_id}"
        description="Where a click goes. Put {click_id} where the network expects your click id; also {campaign_id} {external_id} {sub1}…{sub10}"
        error={errors.of('url')}
      />
      <FieldWarnings warnings={offerUrlWarnings(url)} />
      <DecimalInput
        label="Default payout"
        name="payout"
        value={payout}
        onChange={setPayout}
        placeholder="e.g. 2.50"
        description="Used when the network's postback has no payout. A decimal comma (2,50) is fine."
        error={errors.of('payout')}
      />
    </ApiForm>
  );
}

/** The offer fields the form shows, by their names in the API. */
const OFFER_FIELDS = ['name', 'networkId', 'url', 'payout'];

function Goals({ offer }: { offer: Offer }) {
  const goals = useGoalRules(offer.id);
  const [goal, setGoal] = useState('');
  const [many, setMany] = useState(false);
  const save = useSaveGoalRule(offer.id);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        By default a goal counts once per click. Mark goals like rebills or upsells as "many per click"; they are told apart by their txid.
      </Text>
      <QueryState loading={goals.isLoading} error={goals.error}>
        {(goals.data ?? []).length === 0 ? (
          <Text size="sm">No goal settings: every goal counts once per click.</Text>
        ) : (
          <Table aria-label="Goals">
            <Table.Tbody>
              {goals.data!.map((g) => (
                <Table.Tr key={g.goal}>
                  <Table.Td>{g.goal || '(default)'}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{g.manyPerClick ? 'many per click' : 'once per click'}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
      <Group align="end">
        <TextInput label="Goal" value={goal} onChange={(e) => setGoal(e.currentTarget.value)} placeholder="e.g. sale" />
        <Switch label="Many per click" checked={many} onChange={(e) => setMany(e.currentTarget.checked)} />
        <Button onClick={() => save.mutate({ goal, manyPerClick: many })} disabled={!goal} loading={save.isPending}>
          Save goal
        </Button>
      </Group>
      <ErrorNote error={save.error} />
    </Stack>
  );
}
