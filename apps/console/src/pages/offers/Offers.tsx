import { Badge, Button, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiForm, DecimalInput, FieldWarnings, offerUrlWarnings, useFieldErrors, TagsField } from '../../components/forms';
import { RowActionButton } from '../../components/RowButtons';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { LifecycleTable, ShowFilter, StaleEditNote, useEditBase, useShown } from '../../components/lifecycle';
import { isStaleEdit } from '../../lib/lifecycle';
import { EmptyState, ErrorNote, QueryState } from '../../components/states';
import { formatMoney } from '../../lib/format';
import { nameMap } from '../../lib/names';
import { useNetworks } from '../networks/queries';
import { useCreateOffer, useGoalRules, useOffers, useSaveGoalRule, useUpdateOffer, type Offer } from './queries';

export default function Offers() {
  const [shown, setShown] = useShown();
  const offers = useOffers({ shown });
  const networks = useNetworks();
  const names = nameMap(networks.data);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [goalsOf, setGoalsOf] = useState<Offer | null>(null);
  const edited = offers.data?.find((o) => o.id === editing);
  const noNetworks = networks.data && networks.data.length === 0;
  return (
    <Stack>
      <PageHeader title="Offers">
        <Group>
          <ShowFilter shown={shown} onChange={setShown} />
          <Button onClick={() => setCreating(true)} disabled={noNetworks}>
            Add offer
          </Button>
        </Group>
      </PageHeader>
      <ListState
        query={offers}
        rows={offers.data}
        blocker={
          noNetworks &&
          shown === 'active' && (
            <EmptyState title="Add a network first" action={{ label: 'Add network', to: '/setup/networks' }}>
              An offer belongs to the network that pays for it.
            </EmptyState>
          )
        }
        empty={
          shown === 'archived' ? (
            <EmptyState title="No archived offers" />
          ) : (
            <EmptyState title="No offers yet" action={{ label: 'Add offer', onClick: () => setCreating(true) }}>
              Add the offer you send traffic to, with its URL. Put {'{click_id}'} where the network expects your click id.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <LifecycleTable
            label="Offers"
            kind="offers"
            rows={rows}
            shown={shown}
            nameOf={(o) => o.name}
            cloneable
            onEdit={(o) => setEditing(o.id)}
            onCloned={(copy) => setEditing(copy.id)}
            columns={[
              { header: 'Name', cell: (o) => o.name },
              { header: 'Network', cell: (o) => names.get(o.networkId) ?? o.networkId },
              {
                header: 'URL',
                cell: (o) => (
                  <Text ff="monospace" fz="xs" style={{ wordBreak: 'break-all' }}>
                    {o.url}
                  </Text>
                ),
              },
              {
                header: 'Default payout',
                align: 'right',
                cell: (o) => formatMoney(o.payout, networks.data?.find((n) => n.id === o.networkId)?.defaultCurrency ?? 'USD'),
              },
            ]}
            rowButtons={(o) => <RowActionButton onClick={() => setGoalsOf(o)}>Goals</RowActionButton>}
          />
        )}
      </ListState>
      <SideDrawer opened={creating} onClose={() => setCreating(false)} title="Add offer" size="lg">
        <OfferForm onDone={() => setCreating(false)} />
      </SideDrawer>
      <SideDrawer opened={!!edited} onClose={() => setEditing(null)} title={`Edit ${edited?.name ?? ''}`} size="lg">
        {edited && <EditOffer offer={edited} onDone={() => setEditing(null)} />}
      </SideDrawer>
      <SideDrawer opened={!!goalsOf} onClose={() => setGoalsOf(null)} title={`Goals of ${goalsOf?.name ?? ''}`} size="lg">
        {goalsOf && <Goals offer={goalsOf} />}
      </SideDrawer>
    </Stack>
  );
}

/** The edit drawer's body: the form, remounted on "Reload" so it shows the latest version. */
function EditOffer({ offer, onDone }: { offer: Offer; onDone: () => void }) {
  const [generation, setGeneration] = useState(0);
  return <OfferForm key={generation} offer={offer} onDone={onDone} onReload={() => setGeneration((g) => g + 1)} />;
}

/** Adds an offer, or (given one) edits every field of it. */
function OfferForm({ offer, onDone, onReload }: { offer?: Offer; onDone: () => void; onReload?: () => void }) {
  const networks = useNetworks();
  const [picked, setNetworkId] = useState<string | null>(offer?.networkId ?? null);
  // The first network until one is picked, also when the list loads after the form opened.
  const networkId = picked ?? networks.data?.[0]?.id ?? null;
  const [url, setUrl] = useState(offer?.url ?? '');
  const [payout, setPayout] = useState(offer?.payout ?? '');
  const [tags, setTags] = useState<string[]>(offer?.tags ?? []);
  const create = useCreateOffer(onDone);
  const update = useUpdateOffer(offer?.id ?? '');
  const edit = useEditBase(offer ?? { version: 0 });
  const saving = offer ? update : create;
  const stale = isStaleEdit(saving.error);
  const errors = useFieldErrors(stale ? null : saving.error, OFFER_FIELDS);
  function submit(data: FormData) {
    const amount = errors.decimal('payout', payout);
    if (amount === null) return;
    const fields = { name: String(data.get('name')), networkId: networkId ?? '', url, tags };
    if (offer) update.mutate({ ...fields, payout: amount || null, version: edit.version }, { onSuccess: onDone });
    else create.mutate({ ...fields, ...(amount ? { payout: amount } : {}) });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={saving.isPending} submitLabel={offer ? 'Save offer' : 'Create offer'}>
      {offer && stale && <StaleEditNote loaded={edit.base} latest={offer} onReload={onReload ?? (() => undefined)} onReview={edit.review} />}
      <TextInput label="Name" name="name" required defaultValue={offer?.name} error={errors.of('name')} />
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
      <TagsField items="offers" value={tags} onChange={setTags} errors={errors} />
    </ApiForm>
  );
}

/** The offer fields the form shows, by their names in the API. */
const OFFER_FIELDS = ['name', 'networkId', 'url', 'payout', 'tags'];

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
