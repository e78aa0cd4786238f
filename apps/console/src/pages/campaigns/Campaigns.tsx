import { Button, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { CopyField } from '../../components/CopyField';
import { CreateForm } from '../../components/CreateForm';
import { ListState } from '../../components/ListState';
import { PageHeader } from '../../components/PageHeader';
import { SideDrawer } from '../../components/SideDrawer';
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
                      <CopyField
                        label="Campaign link"
                        value={c.clickUrl}
                        description={`Give this link to the traffic source. Replace the {…} part by the source's own click-id macro; it comes back to the source as {external_id} (parameter "${c.externalIdParam}"). sub1…sub10 can be added as parameters.`}
                      />
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
  const [costValue, setCostValue] = useState<number | string>('');
  const create = useCreateCampaign(onDone);
  function submit(data: FormData) {
    const cost =
      costModel === 'none'
        ? {}
        : { costModel, ...(costModel === 'auto' ? { costParam: String(data.get('costParam') || 'cost') } : { costValue: String(costValue) }) };
    create.mutate({ name: String(data.get('name')), offerId: offerId ?? '', trafficSourceId: sourceId ?? '', ...cost });
  }
  return (
    <CreateForm onSubmit={submit} error={create.error} pending={create.isPending} submitLabel="Create campaign">
      <TextInput label="Name" name="name" required />
      <Select
        label="Traffic source"
        data={(sources.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={sourceId}
        onChange={setSourceId}
        allowDeselect={false}
        required
      />
      <Select
        label="Offer"
        data={(offers.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
        value={offerId}
        onChange={setOfferId}
        allowDeselect={false}
        required
      />
      <Select label="Cost model" data={COST_MODELS} value={costModel} onChange={(v) => setCostModel(v ?? 'none')} allowDeselect={false} />
      {costModel === 'auto' ? (
        <TextInput label="Cost parameter" name="costParam" defaultValue="cost" description="The click URL parameter the source fills with its cost macro" />
      ) : costModel !== 'none' ? (
        <NumberInput
          label={costModel === 'revshare' ? 'Share of payout (%)' : 'Cost'}
          value={costValue}
          onChange={setCostValue}
          decimalScale={6}
          min={0}
          required
        />
      ) : null}
    </CreateForm>
  );
}
