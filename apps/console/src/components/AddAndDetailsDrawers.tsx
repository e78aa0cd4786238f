import { useState, type ReactNode } from 'react';
import { SideDrawer } from './SideDrawer';

/** Which drawer of a setup screen is open: the "Add …" form, or one item's details (a new item opens straight into them). */
export function useAddAndDetails<T extends { id: string }>(items: T[] | undefined) {
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  return {
    creating,
    startCreating: () => setCreating(true),
    stopCreating: () => setCreating(false),
    open: items?.find((i) => i.id === openId),
    openItem: (id: string) => setOpenId(id),
    closeItem: () => setOpenId(null),
    created: (item: T) => {
      setCreating(false);
      setOpenId(item.id);
    },
  };
}

/** The two drawers of a setup screen whose items have a details view (networks, traffic sources). */
export function AddAndDetailsDrawers<T extends { id: string; name: string }>({
  drawers,
  addTitle,
  form,
  details,
}: {
  drawers: ReturnType<typeof useAddAndDetails<T>>;
  addTitle: string;
  form: (onDone: (created: T) => void) => ReactNode;
  details: (item: T) => ReactNode;
}) {
  const { open } = drawers;
  return (
    <>
      <SideDrawer opened={drawers.creating} onClose={drawers.stopCreating} title={addTitle} size="lg">
        {form(drawers.created)}
      </SideDrawer>
      <SideDrawer opened={!!open} onClose={drawers.closeItem} title={open?.name} size="xl">
        {open && details(open)}
      </SideDrawer>
    </>
  );
}
