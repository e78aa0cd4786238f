import { Alert, Badge, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useUser } from '../../auth/session';
import { ApiForm, DecimalInput, useFieldErrors, TagsField } from '../../components/forms';
import { AddAndDetailsDrawers, useAddAndDetails } from '../../components/AddAndDetailsDrawers';
import { LifecycleTable, ShowFilter, StaleEditNote, useEditBase, useShown } from '../../components/lifecycle';
import { ListState } from '../../components/ListState';
import { RowActionButton } from '../../components/RowButtons';
import { isStaleEdit } from '../../lib/lifecycle';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { CampaignLink } from './CampaignLink';
import { EmptyState } from '../../components/states';
import { nameMap } from '../../lib/names';
import { useOffers } from '../offers/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { CampaignTools } from './campaign-tools';
import { useCampaigns, useCreateCampaign, useUpdateCampaign, type Campaign } from './queries';

const COST_MODELS = [
  { value: 'none', label: 'No cost' },
  { value: 'cpc', label: 'CPC: a fixed cost per click' },
  { value: 'cpa', label: 'CPA: a fixed cost per conversion' },
  { value: 'revshare', label: 'RevShare: a percentage of payout' },
  { value: 'auto', label: 'Auto: the cost the source passes in the click URL' },
];

export default function Campaigns() {
  const user = useUser();
  const [shown, setShown] = useShown();
  const campaigns = useCampaigns({ shown });
  const offers = useOffers();
  const sources = useTrafficSources();
  const offerNames = nameMap(offers.data);
  const sourceNames = nameMap(sources.data);
  const drawers = useAddAndDetails(campaigns.data);
  const [editing, setEditing] = useState<string | null>(null);
  const edited = campaigns.data?.find((c) => c.id === editing);
  const missing = offers.data?.length === 0 ? 'offer' : sources.data?.length === 0 ? 'traffic source' : null;
  return (
    <Stack>
      <PageHeader title="Campaigns">
        <Group>
          <ShowFilter shown={shown} onChange={setShown} />
          <Button onClick={drawers.startCreating} disabled={!!missing}>
            Add campaign
          </Button>
        </Group>
      </PageHeader>
      <ListState
        query={campaigns}
        rows={campaigns.data}
        blocker={
          missing &&
          shown === 'active' && (
            <EmptyState
              title={`Add ${missing === 'offer' ? 'an offer' : 'a traffic source'} first`}
              action={{ label: `Add ${missing}`, to: missing === 'offer' ? '/setup/offers' : '/setup/traffic-sources' }}
            >
              A campaign sends the clicks of one traffic source to one offer.
            </EmptyState>
          )
        }
        empty={
          shown === 'archived' ? (
            <EmptyState title="No archived campaigns" />
          ) : (
            <EmptyState title="No campaigns yet" action={{ label: 'Add campaign', onClick: drawers.startCreating }}>
              A campaign gives you the link to put in the traffic source. Each click on it is recorded and sent on to the offer.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <LifecycleTable
            label="Campaigns"
            kind="campaigns"
            rows={rows}
            shown={shown}
            nameOf={(c) => c.name}
            cloneable
            onEdit={(c) => setEditing(c.id)}
            onCloned={(copy) => setEditing(copy.id)}
            columns={[
              { header: 'Name', cell: (c) => c.name },
              {
                header: 'Traffic source → offer',
                cell: (c) => (
                  <>
                    {`${sourceNames.get(c.trafficSourceId) ?? '—'} → ${offerNames.get(c.offerId) ?? '—'}`} {c.offerPausedAt && <OfferPausedBadge />}
                  </>
                ),
              },
              ...(user.hideProfit
                ? []
                : [{ header: 'Cost', cell: (c: Campaign) => (c.costModel && c.costModel !== 'none' ? `${c.costModel} ${c.costValue ?? ''}` : '—') }]),
              { header: 'Clicks while paused', align: 'right', cell: (c) => c.pausedClicks.toLocaleString('en-US') },
            ]}
            rowButtons={(c) => (
              <>
                <RowActionButton onClick={() => drawers.openItem(c.id)}>Link</RowActionButton>
                <Button component={Link} to={`/fraud/campaigns/${c.id}`} size="xs" variant="subtle" aria-label={`Fraud of ${c.name}`}>
                  Fraud
                </Button>
              </>
            )}
          />
        )}
      </ListState>
      <AddAndDetailsDrawers
        drawers={drawers}
        addTitle="Add campaign"
        form={(onDone) => <CampaignForm onDone={onDone} />}
        details={(c) => (
          <Stack>
            {c.offerPausedAt && <OfferPausedNote offerName={offerNames.get(c.offerId)} />}
            <CampaignLink campaign={c} />
            {!user.hideProfit && user.role !== 'client' && <CampaignTools campaign={c} />}
          </Stack>
        )}
      />
      <SideDrawer opened={!!edited} onClose={() => setEditing(null)} title={`Edit ${edited?.name ?? ''}`} size="lg">
        {edited && <EditCampaign campaign={edited} onDone={() => setEditing(null)} />}
      </SideDrawer>
    </Stack>
  );
}

/** Beside a campaign whose offer is paused: its clicks are handled as a paused campaign's, whatever the campaign's own state. */
function OfferPausedBadge() {
  return (
    <Badge color="orange" variant="light" title="The offer is paused: this campaign's clicks go to its link while paused">
      offer paused
    </Badge>
  );
}

/** The campaign's details when its offer is paused: where its clicks go meanwhile, and where to resume it. */
function OfferPausedNote({ offerName }: { offerName?: string }) {
  return (
    <Alert color="orange" variant="light" title={`Its offer${offerName ? ` ${offerName}` : ''} is paused`} role="status">
      Clicks on this campaign go where a paused campaign's go (its link while paused, else the install's default) and are counted apart. Postbacks for its
      clicks are still recorded. Resume the offer under <Link to="/setup/offers">Offers</Link>.
    </Alert>
  );
}

/** The edit drawer's body: the form, remounted on "Reload" so it shows the latest version. */
function EditCampaign({ campaign, onDone }: { campaign: Campaign; onDone: () => void }) {
  const [generation, setGeneration] = useState(0);
  return <CampaignForm key={generation} campaign={campaign} onDone={onDone} onReload={() => setGeneration((g) => g + 1)} />;
}

/** Adds a campaign, or (given one) edits every field of it, its offer and traffic source too (reports then show its past clicks under the new ones: docs/lifecycle.md). */
function CampaignForm({ campaign, onDone, onReload }: { campaign?: Campaign; onDone: (c: Campaign) => void; onReload?: () => void }) {
  const offers = useOffers();
  const sources = useTrafficSources();
  const [offerId, setOfferId] = useState<string | null>(campaign?.offerId ?? offers.data?.[0]?.id ?? null);
  const [sourceId, setSourceId] = useState<string | null>(campaign?.trafficSourceId ?? sources.data?.[0]?.id ?? null);
  const [costModel, setCostModel] = useState<string>(campaign?.costModel ?? 'none');
  const [costValue, setCostValue] = useState(campaign?.costValue ?? '');
  const [tags, setTags] = useState<string[]>(campaign?.tags ?? []);
  const create = useCreateCampaign(onDone);
  const update = useUpdateCampaign(campaign?.id ?? '');
  const edit = useEditBase(campaign ?? { version: 0 });
  const saving = campaign ? update : create;
  const stale = isStaleEdit(saving.error);
  const errors = useFieldErrors(stale ? null : saving.error, CAMPAIGN_FIELDS);
  function submit(data: FormData) {
    let cost: { costModel: Campaign['costModel']; costValue?: string | null; costParam?: string } = { costModel: costModel as Campaign['costModel'] };
    if (costModel === 'auto') cost = { ...cost, costParam: String(data.get('costParam') || 'cost') };
    else if (costModel !== 'none') {
      const value = errors.decimal('costValue', costValue);
      if (value === null) return;
      cost = { ...cost, costValue: value };
    }
    const pausedUrl = String(data.get('pausedUrl') ?? '').trim();
    const fields = { name: String(data.get('name')), offerId: offerId ?? '', trafficSourceId: sourceId ?? '', ...cost, tags };
    if (campaign) update.mutate({ ...fields, pausedUrl: pausedUrl || null, version: edit.version }, { onSuccess: onDone });
    else create.mutate({ ...fields, ...(pausedUrl ? { pausedUrl } : {}) });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={saving.isPending} submitLabel={campaign ? 'Save campaign' : 'Create campaign'}>
      {campaign && stale && <StaleEditNote loaded={edit.base} latest={campaign} onReload={onReload ?? (() => undefined)} onReview={edit.review} />}
      <TextInput label="Name" name="name" required defaultValue={campaign?.name} error={errors.of('name')} />
      <Select
        label="Traffic source"
        description={campaign ? 'Where the clicks come from. Clicks already recorded keep the source they came from.' : 'Where the clicks come from'}
        data={(sources.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={sourceId}
        onChange={(v) => {
          setSourceId(v);
          errors.clear('trafficSourceId');
        }}
        allowDeselect={false}
        required
        error={errors.of('trafficSourceId')}
      />
      <Select
        label="Offer"
        description={campaign ? 'Where the clicks go. Clicks already recorded keep the offer they went to.' : 'Where the clicks go'}
        data={(offers.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        value={offerId}
        onChange={(v) => {
          setOfferId(v);
          errors.clear('offerId');
        }}
        allowDeselect={false}
        required
        error={errors.of('offerId')}
      />
      <Select
        label="Cost model"
        data={COST_MODELS}
        value={costModel}
        onChange={(v) => {
          setCostModel(v ?? 'none');
          errors.clear('costModel');
        }}
        allowDeselect={false}
        error={errors.of('costModel')}
      />
      {costModel === 'auto' ? (
        <TextInput
          label="Cost parameter"
          name="costParam"
          defaultValue={campaign?.costParam ?? 'cost'}
          description="The click URL parameter the source fills with its cost macro"
          error={errors.of('costParam')}
        />
      ) : costModel !== 'none' ? (
        <DecimalInput
          label={costModel === 'revshare' ? 'Share of payout (%)' : 'Cost'}
          name="costValue"
          value={costValue}
          onChange={setCostValue}
          description="A decimal comma (0,25) is fine"
          required
          error={errors.of('costValue')}
        />
      ) : null}
      <TextInput
        label="Link while paused"
        name="pausedUrl"
        defaultValue={campaign?.pausedUrl ?? ''}
        placeholder="https://example.com/back-soon"
        description="Where a click goes while the campaign is paused or archived. Empty: the install's default (PAUSED_CAMPAIGN_URL)."
        error={errors.of('pausedUrl')}
      />
      <TagsField items="campaigns" value={tags} onChange={setTags} errors={errors} />
    </ApiForm>
  );
}

/** The campaign fields the form shows, by their names in the API. */
const CAMPAIGN_FIELDS = ['name', 'trafficSourceId', 'offerId', 'costModel', 'costValue', 'costParam', 'pausedUrl', 'tags'];
