import { Paper, SimpleGrid } from '@mantine/core';
import type { ReactNode } from 'react';

/** The boxed row of filter inputs above a log list (three columns on wide screens). */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>{children}</SimpleGrid>
    </Paper>
  );
}
