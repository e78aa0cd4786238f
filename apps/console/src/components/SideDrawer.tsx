import { Drawer, type DrawerProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** The right-hand drawer every setup screen opens for "Add …" forms and per-row details. */
export function SideDrawer({
  opened,
  onClose,
  title,
  size,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  size?: DrawerProps['size'];
  children: ReactNode;
}) {
  return (
    <Drawer opened={opened} onClose={onClose} title={title} position="right" size={size} closeButtonProps={{ 'aria-label': 'Close' }}>
      {children}
    </Drawer>
  );
}
