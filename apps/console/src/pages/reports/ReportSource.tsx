import { Badge, Text } from '@mantine/core';
import { reportSourceNote } from '../../lib/report-source';
import type { StatsReport } from '../../lib/stats';

/** Where the report was read (the read replica and its lag, or the primary standing in for it). */
export function ReportSource({ database }: { database: StatsReport['database'] | undefined }) {
  const note = reportSourceNote(database);
  if (!note) return null;
  if (note.kind === 'warning') {
    return (
      <Badge color="orange" variant="light" title={note.detail} data-testid="report-source">
        {note.text}
      </Badge>
    );
  }
  return (
    <Text size="sm" c="dimmed" data-testid="report-source">
      {note.text}
    </Text>
  );
}
