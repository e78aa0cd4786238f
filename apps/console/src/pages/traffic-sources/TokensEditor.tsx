import { ActionIcon, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorNote } from '../../components/states';
import { placeError } from '../../components/forms';
import { useSaveTokens, type TrackingToken, type TrafficSource } from './queries';

const SUBS = Array.from({ length: 10 }, (_, i) => `sub${i + 1}`);
const TARGETS = [{ value: 'external_id', label: 'Click id' }, { value: 'cost', label: 'Cost' }, ...SUBS.map((sub) => ({ value: sub, label: sub }))];

/**
 * The tokens the source fills into campaign links: each of its macros mapped to the click id, the
 * cost or a `subN`, with the label the reports use for that `subN`. Saving rewrites every campaign
 * link of the source; the server refuses two tokens for one target, naming the row.
 */
export function TokensEditor({ source }: { source: TrafficSource & { version?: number } }) {
  const [rows, setRows] = useState<TrackingToken[]>(source.tokens);
  const save = useSaveTokens(source);
  const fields = rows.flatMap((_, i) => [`tokens.${i}.target`, `tokens.${i}.macro`, `tokens.${i}.label`]);
  const placed = placeError(save.error, fields);
  const errorOf = (index: number, field: keyof TrackingToken) => (placed?.field === `tokens.${index}.${field}` ? placed.message : undefined);
  const set = (index: number, change: Partial<TrackingToken>) => setRows(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const unused = TARGETS.find((t) => !rows.some((row) => row.target === t.value))?.value;
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h5" mb="xs">
        Tokens
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        The macros this source fills into the campaign link ({'{zoneid}'}, [CLICK_ID] …), each going to the click id, the cost or a sub. The label names the
        sub&apos;s column in reports.
      </Text>
      <Stack gap="xs">
        <Table aria-label="Tokens">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Goes to</Table.Th>
              <Table.Th>Source macro</Table.Th>
              <Table.Th>Label</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <Select
                    aria-label={`Token ${index + 1} goes to`}
                    data={TARGETS}
                    value={row.target}
                    allowDeselect={false}
                    onChange={(target) => target && set(index, { target: target as TrackingToken['target'] })}
                    error={errorOf(index, 'target')}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Token ${index + 1} macro`}
                    value={row.macro}
                    onChange={(e) => set(index, { macro: e.currentTarget.value })}
                    error={errorOf(index, 'macro')}
                    styles={{ input: { fontFamily: 'monospace' } }}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    aria-label={`Token ${index + 1} label`}
                    value={row.label}
                    onChange={(e) => set(index, { label: e.currentTarget.value })}
                    error={errorOf(index, 'label')}
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove token ${index + 1}`} onClick={() => setRows(rows.filter((_, i) => i !== index))}>
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group>
          <Button
            size="xs"
            variant="light"
            disabled={unused === undefined}
            onClick={() =>
              unused && setRows([...rows, { target: unused as TrackingToken['target'], macro: '', label: unused === 'external_id' ? 'click id' : '' }])
            }
          >
            Add token
          </Button>
          <Button size="xs" onClick={() => save.mutate(rows)} loading={save.isPending}>
            Save tokens
          </Button>
        </Group>
        {placed && placed.field === null && <ErrorNote error={save.error} />}
      </Stack>
    </Paper>
  );
}
