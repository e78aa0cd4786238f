import { List, Paper, Text } from '@mantine/core';

/**
 * Warnings under a field that do not block saving (see url-warnings.ts): what is probably a mistake and why.
 * Dark text on a pale background with a coloured edge, so it reads at AA contrast.
 */
export function FieldWarnings({ warnings, testId = 'field-warning' }: { warnings: readonly string[]; testId?: string }) {
  if (!warnings.length) return null;
  return (
    <Paper p="xs" bg="yellow.0" style={{ borderLeft: '4px solid var(--mantine-color-yellow-6)' }} role="status" aria-live="polite" data-testid={testId}>
      <List size="sm" listStyleType="none">
        {warnings.map((w) => (
          <List.Item key={w}>
            <Text span fw={600} size="sm">
              Warning:{' '}
            </Text>
            {w}
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
