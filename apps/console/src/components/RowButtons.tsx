import { Button } from '@mantine/core';
import type { ReactNode } from 'react';

/** The small light button at the end of a table row that opens or acts on that row. */
export function RowActionButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button size="xs" variant="light" onClick={onClick}>
      {children}
    </Button>
  );
}

/** The small red button at the end of a table row that revokes or deletes it. */
export function RowDangerButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button size="xs" color="red" variant="subtle" onClick={onClick}>
      {children}
    </Button>
  );
}
