import { SegmentedControl, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';

const CHOICES: Array<{ value: MantineColorScheme; label: string }> = [
  { value: 'auto', label: 'Auto' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Auto (the OS's preference), light or dark; a pick is remembered in this browser, Auto forgets it. */
export function ColorSchemeSwitch() {
  const { colorScheme, setColorScheme, clearColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      fullWidth
      aria-label="Colour scheme"
      data={CHOICES}
      value={colorScheme}
      onChange={(value) => (value === 'auto' ? clearColorScheme() : setColorScheme(value as MantineColorScheme))}
    />
  );
}
