import { Alert, Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useUser } from '../../auth/session';
import { ErrorNote } from '../../components/states';
import { formatDateTime } from '../../lib/format';
import { decimalInput, zonedLocalToUtc } from '../../lib/zoned-time';
import { useApplyCost, useCostHistory, usePreviewCost, type Campaign, type CostCorrectionBody } from './queries';

/**
 * "Update cost": a range in the operator's zone, a total or per-click amount and a currency. It
 * first shows what it will replace (the range's clicks, their cost now, the corrections that govern
 * it), and applies only that previewed request.
 */
export function CostDialog({ campaign, opened, onClose }: { campaign: Campaign; opened: boolean; onClose: () => void }) {
  const user = useUser();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<'total' | 'perClick'>('total');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const preview = usePreviewCost(campaign.id);
  const apply = useApplyCost(campaign.id);
  const [previewed, setPreviewed] = useState<string | null>(null);

  const body = (): CostCorrectionBody => ({
    from: from && zonedLocalToUtc(from, user.timeZone).toISOString(),
    to: to && zonedLocalToUtc(to, user.timeZone).toISOString(),
    ...(mode === 'total' ? { amount: decimalInput(amount) } : { perClick: decimalInput(amount) }),
    ...(currency.trim() ? { currency: currency.trim().toUpperCase() } : {}),
  });
  const key = JSON.stringify([from, to, mode, amount, currency]);
  const stale = previewed !== key;

  return (
    <Modal opened={opened} onClose={onClose} title={`Update cost: ${campaign.name}`} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          Replaces the campaign's cost in the range by this amount, spread evenly over its clicks. Times are in your zone ({user.timeZone}) and fall on quarter
          hours.
        </Text>
        <Group grow>
          <TextInput type="datetime-local" label="From" value={from} onChange={(e) => setFrom(e.currentTarget.value)} step={900} />
          <TextInput type="datetime-local" label="To" value={to} onChange={(e) => setTo(e.currentTarget.value)} step={900} />
        </Group>
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'total' | 'perClick')}
          data={[
            { value: 'total', label: 'Total for the range' },
            { value: 'perClick', label: 'Per click' },
          ]}
        />
        <Group grow>
          <TextInput
            label={mode === 'total' ? 'Amount' : 'Amount per click'}
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            placeholder="120,50"
          />
          <TextInput label="Currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} placeholder="the report currency" maxLength={3} />
        </Group>
        <Group>
          <Button variant="light" onClick={() => preview.mutate(body(), { onSuccess: () => setPreviewed(key) })} loading={preview.isPending}>
            Show what it replaces
          </Button>
          <Button
            disabled={stale || !preview.data}
            onClick={() =>
              apply.mutate(body(), {
                onSuccess: () => {
                  setPreviewed(null);
                  preview.reset();
                  onClose();
                },
              })
            }
            loading={apply.isPending}
          >
            Apply
          </Button>
        </Group>
        <ErrorNote error={preview.error ?? apply.error} />
        {preview.data && !stale && (
          <Alert color="blue" title="This will replace" data-testid="cost-preview">
            <Stack gap={4}>
              <Text size="sm">
                {preview.data.clicks} clicks, costing {preview.data.currentCost} {preview.data.reportCurrency} now.
              </Text>
              <Text size="sm">
                New cost: {preview.data.amount} {preview.data.reportCurrency} ({preview.data.perClick} per click
                {preview.data.currency !== preview.data.reportCurrency
                  ? `, at ${preview.data.rate} ${preview.data.reportCurrency} per ${preview.data.currency}`
                  : ''}
                ).
              </Text>
              {preview.data.replaces.length > 0 && (
                <Text size="sm">
                  It overrides {preview.data.replaces.length} earlier correction{preview.data.replaces.length > 1 ? 's' : ''} where they overlap:{' '}
                  {preview.data.replaces.map((c) => `${c.amount} set by ${c.setBy ?? 'unknown'}`).join('; ')}.
                </Text>
              )}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Modal>
  );
}

/** The campaign's cost history: every correction, who set it, what was entered and what it replaced. */
export function CostHistory({ campaign }: { campaign: Campaign }) {
  const user = useUser();
  const history = useCostHistory(campaign.id);
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4} size="h6">
          Cost history
        </Title>
        <Button size="xs" variant="light" onClick={() => setOpen(true)}>
          Update cost
        </Button>
      </Group>
      {history.data?.length ? (
        <Table aria-label={`Cost history of ${campaign.name}`} data-testid="cost-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Set</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>Range</Table.Th>
              <Table.Th>Entered</Table.Th>
              <Table.Th>Cost</Table.Th>
              <Table.Th>Replaced</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...history.data].reverse().map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatDateTime(c.createdAt, user.timeZone)}</Table.Td>
                <Table.Td>{c.setBy ?? '—'}</Table.Td>
                <Table.Td>
                  {formatDateTime(c.from, user.timeZone)} – {formatDateTime(c.to, user.timeZone)}
                </Table.Td>
                <Table.Td>
                  {c.enteredValue ?? c.amount} {c.currency ?? ''} {c.mode === 'per_click' ? 'per click' : 'total'}
                </Table.Td>
                <Table.Td>
                  {c.amount} over {c.clicks} clicks
                </Table.Td>
                <Table.Td>{c.replacedCost ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No cost corrections yet.
        </Text>
      )}
      <CostDialog campaign={campaign} opened={open} onClose={() => setOpen(false)} />
    </Stack>
  );
}
