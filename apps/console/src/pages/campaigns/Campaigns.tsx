import { Button, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ApiForm, DecimalInput, useFieldErrors } from '../../components/forms';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
import { CampaignLink } from './CampaignLink';
import { EmptyState } from '../../components/states';
import { nameMap } from '../../lib/names';
import { useOffers } from '../offers/queries';
import { useTrafficSources } from '../traffic-sources/queries';
import { CampaignTools } from './campaign-tools';
import { useCampaigns, useCreateCampaign } from './queries';

const COST_MODELS = [
  { value: 'none', label: 'No cost' },
  { value: 'cpc', label: 'CPC: a fixed cost per click' },
  { value: 'cpa', label: 'CPA: a fixed cost per conversion' },
  { value: 'revshare', label: 'RevShare: a percentage of payout' },
  { value: 'auto', label: 'Auto: the cost the source passes in the click URL' },
];

export default function Campaigns() {
  const user = useUser();
  const campaigns = useCampaigns();
  const offers = useOffers();
  const sources = useTrafficSources();
  const offerNames = nameMap(offers.data);
  const sourceNames = nameMap(sources.data);
  const [creating, setCreating] = useState(false);
  const missing = offers.data?.length === 0 ? 'offer' : sources.data?.length === 0 ? 'traffic source' : null;
  return (
    <Stack>
      <PageHeader title="Campaigns">
        <Button onClick={() => setCreating(true)} disabled={!!missing}>
          Add campaign
        </Button>
      </PageHeader>
      <ListState
        query={campaigns}
        rows={campaigns.data}
        blocker={
          missing && (
            <EmptyState
              title={`Add an ${missing === 'offer' ? 'offer' : 'traffic source'} first`}
              action={{ label: `Add ${missing}`, to: missing === 'offer' ? '/setup/offers' : '/setup/traffic-sources' }}
            >
              A campaign sends the clicks of one traffic source to one offer.
            </EmptyState>
          )
        }
        empty={
          <EmptyState title="No campaigns yet" action={{ label: 'Add campaign', onClick: () => setCreating(true) }}>
            A campaign gives you the link to put in the traffic source. Each click on it is recorded and sent on to the offer.
          </EmptyState>
        }
      >
        {(rows) => (
          <Stack>
            {rows.map((c) => (
              <Table key={c.id} withTableBorder aria-label={`Campaign ${c.name}`}>
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th w={160}>{c.name}</Table.Th>
                    <Table.Td>
                      {sourceNames.get(c.trafficSourceId) ?? '—'} → {offerNames.get(c.offerId) ?? '—'}
                      {!user.hideProfit && c.costModel && c.costModel !== 'none' && (
                        <Text span c="dimmed" size="sm">
                          {' '}
                          · cost {c.costModel} {c.costValue ?? ''}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Td colSpan={2}>
                      <CampaignLink campaign={c} />
                    </Table.Td>
                  </Table.Tr>
                  {!user.hideProfit && user.role !== 'client' && <CampaignTools campaign={c} />}
                </Table.Tbody>
              </Table>
            ))}
          </Stack>
        )}
      </ListState>
      <SideDrawer opened={creating} onClose={() => setCreating(false)} title="Add campaign" size="lg">
        <CampaignForm onDone={() => setCreating(false)} />
      </SideDrawer>
    </Stack>
  );
}

function CampaignForm({ onDone }: { onDone: () => void }) {
  const offers = useOffers();
  const sources = useTrafficSources();
  const [offerId, setOfferId] = useState<string | null>(offers.data?.[0]?.id ?? null);
  const [sourceId, setSourceId] = useState<string | null>(sources.data?.[0]?.id ?? null);
  const [costModel, setCostModel] = useState('none');
  const [costValue, setCostValue] = useState('');
  const create = useCreateCampaign(onDone);
  const errors = useFieldErrors(create.error, CAMPAIGN_FIELDS);
  function submit(data: FormData) {
    let cost = {};
    if (costModel === 'auto') cost = { costModel, costParam: String(data.get('costParam') || 'cost') };
    else if (costModel !== 'none') {
      const value = errors.decimal('costValue', costValue);
      if (value === null) return;
      cost = { costModel, costValue: value };
    }
    create.mutate({ name: String(data.get('name')), offerId: offerId ?? '', trafficSourceId: sourceId ?? '', ...cost });
  }
  return (
    <ApiForm onSubmit={submit} errors={errors} pending={create.isPending} submitLabel="Create campaign">
      <TextInput label="Name" name="name" required error={errors.of('name')} />
      <Select
        label="Traffic source"
        description="Where the clicks come from"
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
        description="Where the clicks go"
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
          defaultValue="cost"
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
    </ApiForm>
  );
}

/** The campaign fields the form shows, by their names in the API. */
const CAMPAIGN_FIELDS = ['name', 'trafficSourceId', 'offerId', 'costModel', 'costValue', 'costParam'];
