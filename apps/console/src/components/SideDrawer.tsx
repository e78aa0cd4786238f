import { Drawer, type DrawerProps } from '@mantine/core';
import { useRef, type ReactNode } from 'react';

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
  const body = useRef<HTMLDivElement>(null);
  // Every open Mantine dialog closes on Escape; a dialog opened from the drawer (Update cost) is on
  // top, so Escape closes it alone and the drawer stays open underneath.
  const closeUnlessCovered = () => {
    const top = Array.from(document.querySelectorAll('[role="dialog"][aria-modal="true"]')).pop();
    if (top && body.current && !top.contains(body.current)) return;
    onClose();
  };
  return (
    <Drawer opened={opened} onClose={closeUnlessCovered} title={title} position="right" size={size} closeButtonProps={{ 'aria-label': 'Close' }}>
      <div ref={body}>{children}</div>
    </Drawer>
  );
}
