import { Autocomplete, Button, Popover, Select, Stack } from '@mantine/core';
import { useState } from 'react';
import { dimensionLabel, DIMENSIONS, groupKey, TIME_DIMENSIONS, type StatsQuery } from '../../lib/stats';
import { useStats } from './queries';

const FILTER_DIMENSIONS = DIMENSIONS.filter((d) => !TIME_DIMENSIONS.includes(d));
const ENTITY_DIMENSIONS = ['campaign', 'offer', 'network', 'trafficSource'];
/** How many values are suggested: the most clicked of the report's range, so the list stays short and cheap. */
export const SUGGESTED_VALUES = 50;

/**
 * Adds a filter by picking its value instead of typing an id: campaigns, offers, networks and
 * sources by name; countries, devices, OS, browsers, goals and sub values from the values seen in
 * the report's range and filters (the {@link SUGGESTED_VALUES} most clicked, narrowed as you type;
 * a value not among them can still be typed).
 */
export function FilterPicker({
  base,
  entities,
  onAdd,
}: {
  /** The report's range, zone and filters: suggestions are the values seen there. */
  base: Pick<StatsQuery, 'from' | 'to' | 'tz' | 'filters'>;
  /** Names of the catalog items by id, per entity dimension. */
  entities: Record<string, Map<string, string>>;
  onAdd: (dim: string, value: string) => void;
}) {
  const [opened, setOpened] = useState(false);
  const [dim, setDim] = useState('campaign');
  const [value, setValue] = useState('');
  const entity = ENTITY_DIMENSIONS.includes(dim);
  const seen = useStats({ ...base, groupBy: [dim], sort: '-clicks', limit: SUGGESTED_VALUES }, { enabled: opened && !entity });
  const entityOptions = [...(entities[dim] ?? new Map<string, string>())].map(([id, name]) => ({ value: id, label: name }));
  const seenValues = [...new Set((seen.data?.rows ?? []).map((r) => groupKey(r, dim).value).filter(Boolean))];
  const add = (v: string) => {
    if (!v.trim()) return;
    onAdd(dim, v.trim());
    setValue('');
    setOpened(false);
  };
  return (
    <Popover position="bottom-start" withArrow trapFocus opened={opened} onChange={setOpened}>
      <Popover.Target>
        <Button variant="light" size="xs" onClick={() => setOpened((o) => !o)}>
          Add filter
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" w={260}>
          <Select
            label="Filter by"
            data={FILTER_DIMENSIONS.map((d) => ({ value: d, label: dimensionLabel(d) }))}
            value={dim}
            onChange={(d) => {
              if (d) setDim(d);
              setValue('');
            }}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
          {entity ? (
            <Select
              label={dimensionLabel(dim)}
              placeholder="Type a name"
              data={entityOptions}
              searchable
              value={null}
              onChange={(id) => id && add(id)}
              nothingFoundMessage="No match"
              comboboxProps={{ withinPortal: false }}
            />
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add(value);
              }}
            >
              <Stack gap="xs">
                <Autocomplete
                  label={dimensionLabel(dim)}
                  placeholder={seen.isLoading ? 'Loading values…' : 'Pick or type a value'}
                  data={seenValues}
                  value={value}
                  onChange={setValue}
                  onOptionSubmit={add}
                  limit={SUGGESTED_VALUES}
                  comboboxProps={{ withinPortal: false }}
                />
                <Button type="submit" size="xs">
                  Apply
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
