import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The page's one h1, with the page's main action (or a note) on the right. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const heading = (
    <Title order={1} size="h2">
      {title}
    </Title>
  );
  if (!children) return heading;
  return (
    <Group justify="space-between">
      {heading}
      {children}
    </Group>
  );
}

/** Tells the reader which zone the times on a page are shown in. */
export function TimeZoneNote({ timeZone }: { timeZone: string }) {
  return (
    <Text size="sm" c="dimmed">
      Times in {timeZone}
    </Text>
  );
}
