import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { ReadOf } from '../api/responses';

type ConversionFraud = NonNullable<ReadOf<'/api/conversions/{id}/trace'>['fraud']>;

/** The trace's fraud block: score, verdict, hold, every signal that ran with its value and threshold, and what did not run (a scorer plugin that timed out). */
export function FraudSignals({ fraud }: { fraud: ConversionFraud }) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Fraud signals
      </Title>
      <Group gap="md" mb="xs">
        <Text size="sm">
          Score <strong>{fraud.score}</strong>
        </Text>
        <Text size="sm">
          Verdict <strong>{fraud.verdict}</strong>
        </Text>
        {fraud.holdState && (
          <Text size="sm">
            Hold <strong>{fraud.holdState}</strong>
            {fraud.decidedBy ? ` by ${fraud.decidedBy}` : ''}
          </Text>
        )}
      </Group>
      <Table aria-label="Fraud signals">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Signal</Table.Th>
            <Table.Th>Fired</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Threshold</Table.Th>
            <Table.Th ta="right">Weight</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fraud.signals.map((s) => (
            <Table.Tr key={s.code}>
              <Table.Td>{s.code}</Table.Td>
              <Table.Td>
                {s.fired ? (
                  <Badge variant="outline" color="red" c="dark">
                    fired
                  </Badge>
                ) : (
                  'no'
                )}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{s.value}</Table.Td>
              <Table.Td>{s.threshold}</Table.Td>
              <Table.Td ta="right">{s.weight}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {fraud.notes.length > 0 && (
        <ul aria-label="Fraud scoring notes">
          {fraud.notes.map((note) => (
            <li key={note}>
              <Text size="sm" c="dimmed">
                {note}
              </Text>
            </li>
          ))}
        </ul>
      )}
    </Paper>
  );
}
