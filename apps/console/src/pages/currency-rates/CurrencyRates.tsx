import { Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorNote } from '../../components/states';
import { dayIn } from '../../lib/format';
import { useSaveCurrencyRates } from './queries';

/** Rates into the report currency, per currency and day; the latest earlier rate applies to a conversion. */
export default function CurrencyRates() {
  const [currency, setCurrency] = useState('EUR');
  const [day, setDay] = useState(dayIn(new Date(), 'UTC'));
  const [rate, setRate] = useState('');
  const save = useSaveCurrencyRates();
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        Currency rates
      </Title>
      <Text c="dimmed">
        Reports are in one currency. A conversion paid in another currency is converted with the latest rate on or before its day; without one it is counted
        apart as "unconverted", never summed as if it were the report currency.
      </Text>
      <Group align="end">
        <TextInput label="Currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} maxLength={3} w={100} />
        <TextInput label="Day (UTC)" type="date" value={day} onChange={(e) => setDay(e.currentTarget.value)} />
        <TextInput label="Rate (1 unit in report currency)" value={rate} onChange={(e) => setRate(e.currentTarget.value)} placeholder="e.g. 1.08" />
        <Button onClick={() => save.mutate({ rates: [{ currency: currency.toUpperCase(), day, rate }] })} disabled={!rate} loading={save.isPending}>
          Save rate
        </Button>
      </Group>
      <ErrorNote error={save.error} />
      {save.isSuccess && <Text c="teal">Saved. Reports use it from now on.</Text>}
    </Stack>
  );
}
