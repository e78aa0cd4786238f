// The pieces every setup list shares for the items' lifecycle: state, filter, selection, bulk, row menu, delete, history, stale edits.
export { BulkBar } from './BulkBar';
export { ChangeList } from './ChangeList';
export { DeleteDialog } from './DeleteDialog';
export { History } from './History';
export { LifecycleTable, type Column } from './LifecycleTable';
export { RowMenu, type RowActions } from './RowMenu';
export { SelectAllHeader, SelectCell } from './SelectCells';
export { ShowFilter, useShown, type Shown } from './ShowFilter';
export { StaleEditNote } from './StaleEditNote';
export { StateBadge, TagBadges } from './StateBadge';
export { useEditBase } from './useEditBase';
export { useRowSelection, type RowSelection } from './useRowSelection';
