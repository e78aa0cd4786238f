import { alpha, DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { contrastRatio, over } from './contrast';
import { cssVariablesResolver, theme } from './theme';

const merged = mergeMantineTheme(DEFAULT_THEME, theme);
const variables = cssVariablesResolver(merged);

describe('the console theme reaches WCAG AA in both colour schemes', () => {
  it.each(Object.keys(merged.colors))('%s: light-variant text on its tint, and plain text, on a hovered row', (name) => {
    const shades = merged.colors[name];
    const light = { row: merged.colors.gray[1], tint: over(alpha(shades[8], 0.12), merged.colors.gray[1]) };
    const dark = { row: merged.colors.dark[5], tint: over(alpha(shades[6], 0.2), merged.colors.dark[5]) };
    expect(contrastRatio(variables.light[`--mantine-color-${name}-light-color`], light.tint)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.light[`--mantine-color-${name}-text`], light.row)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.light[`--mantine-color-${name}-text`], '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.dark[`--mantine-color-${name}-light-color`], dark.tint)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.dark[`--mantine-color-${name}-text`], dark.row)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.dark[`--mantine-color-${name}-text`], merged.colors.dark[7])).toBeGreaterThanOrEqual(4.5);
  });

  it('gives filled colours black or white text, whichever passes (white on yellow did not)', () => {
    for (const shades of Object.values(merged.colors)) {
      const filled = shades[8];
      const text = contrastRatio(filled, '#ffffff') >= contrastRatio(filled, '#000000') ? '#ffffff' : '#000000';
      expect(contrastRatio(filled, text)).toBeGreaterThanOrEqual(4.5);
    }
    expect(merged.autoContrast).toBe(true);
    expect(merged.luminanceThreshold).toBeCloseTo(0.179, 3);
  });

  it('keeps dimmed text readable on the dark body and its hovered rows', () => {
    expect(contrastRatio(variables.dark['--mantine-color-dimmed'], merged.colors.dark[5])).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(variables.dark['--mantine-color-error'], merged.colors.dark[5])).toBeGreaterThanOrEqual(4.5);
  });
});
