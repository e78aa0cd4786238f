import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** Loading and error states shared by every screen: an API error shows the server's message. */
export function QueryState({ loading, error, children }: { loading: boolean; error: unknown; children: ReactNode }) {
  if (loading)
    return (
      <Center p="xl" role="status" aria-live="polite">
        <Loader size="sm" aria-label="Loading" />
      </Center>
    );
  if (error) return <ErrorNote error={error} />;
  return <>{children}</>;
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

/** What to do next when a list is empty. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: { label: string; to?: string; onClick?: () => void };
}) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="xs">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children && (
          <Text c="dimmed" ta="center" maw={520}>
            {children}
          </Text>
        )}
        {action && (
          <Group>
            {action.to ? (
              <Button component={Link} to={action.to}>
                {action.label}
              </Button>
            ) : (
              <Button onClick={action.onClick}>{action.label}</Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
