import { ActionIcon, Menu } from '@mantine/core';

/** What can be done to one row; an action left out is not offered (not every kind can be paused or cloned). */
export interface RowActions {
  edit?: () => void;
  pause?: () => void;
  resume?: () => void;
  archive?: () => void;
  restore?: () => void;
  disable?: () => void;
  enable?: () => void;
  clone?: () => void;
  history?: () => void;
  remove?: () => void;
}

/** The "…" menu at the end of a row with its lifecycle actions, named after the row for screen readers. */
export function RowMenu({ name, actions }: { name: string; actions: RowActions }) {
  const item = (label: string, run: (() => void) | undefined, color?: string) =>
    run && (
      <Menu.Item onClick={run} color={color}>
        {label}
      </Menu.Item>
    );
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="dark" aria-label={`Actions for ${name}`}>
          <span aria-hidden>⋯</span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {item('Edit', actions.edit)}
        {item('Pause', actions.pause)}
        {item('Resume', actions.resume)}
        {item('Clone', actions.clone)}
        {item('History', actions.history)}
        {item('Archive', actions.archive)}
        {item('Restore', actions.restore)}
        {item('Disable', actions.disable)}
        {item('Enable', actions.enable)}
        {actions.remove && <Menu.Divider />}
        {item('Delete', actions.remove, 'red.9')}
      </Menu.Dropdown>
    </Menu>
  );
}
