import { Select } from '@mantine/core';

/**
 * A list filter by one catalog item (campaign, network, traffic source), picked by name and kept in
 * the URL by usePagedFilters; empty means "any".
 */
export function CatalogFilter({
  label,
  anyLabel,
  items,
  value,
  onChange,
}: {
  label: string;
  /** The placeholder while nothing is picked, e.g. "Any campaign". */
  anyLabel: string;
  items: ReadonlyArray<{ id: string; name: string }> | undefined;
  value: string;
  onChange: (id: string | null) => void;
}) {
  return (
    <Select
      label={label}
      placeholder={anyLabel}
      clearable
      searchable
      data={(items ?? []).map((i) => ({ value: i.id, label: i.name }))}
      value={value || null}
      onChange={onChange}
    />
  );
}
