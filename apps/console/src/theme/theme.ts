import { alpha, createTheme, localStorageColorSchemeManager, type CSSVariablesResolver, type MantineTheme } from '@mantine/core';
import { over, readableOn } from './contrast';

/** Mantine's shade for filled and text colours (`primaryShade`), in both schemes. */
const SHADE = 8;

// Focus rings always visible for keyboard users; primary colour with AA contrast on white and on its own light
// tint. Filled controls and badges take black or white text, whichever reaches AA on their colour (white text
// on yellow did not): 0.179 is the luminance where both give the same contrast. axe-core checks every screen
// in the browser tests, in light and in dark mode (test/console-a11y.e2e-spec.ts).
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: SHADE,
  autoContrast: true,
  luminanceThreshold: 0.179,
  focusRing: 'auto',
  // A user who asked their system to reduce motion gets dialogs, drawers and menus without transitions (WCAG 2.3.3).
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

/**
 * Every palette colour's text, outline and light-variant text (badges, alerts' titles, light buttons), made
 * readable on the worst background it meets: its own tint over a hovered table row, or the hovered row itself.
 * Mantine's defaults fall below AA for several colours (teal 3.5:1, yellow 2.2:1 on their tints in light mode;
 * grey 4.0:1 in dark mode); colours that already pass keep their shade. Done for the theme, not per page.
 */
function readableColours(theme: MantineTheme, scheme: 'light' | 'dark'): Record<string, string> {
  const rowHover = scheme === 'light' ? theme.colors.gray[1] : theme.colors.dark[5];
  const variables: Record<string, string> = {};
  for (const [name, shades] of Object.entries(theme.colors)) {
    // The shades Mantine uses for each scheme (get-css-color-variables): light tint of shade 8 at 12 % in light
    // mode with shade 8 text; tint of shade 6 at 20 % in dark mode with shade 3 text, shade 4 for plain text.
    const tint = scheme === 'light' ? over(alpha(shades[SHADE], 0.12), rowHover) : over(alpha(shades[SHADE - 2], 0.2), rowHover);
    const text = readableOn(scheme === 'light' ? shades[SHADE] : shades[4], rowHover);
    variables[`--mantine-color-${name}-light-color`] = readableOn(scheme === 'light' ? shades[SHADE] : shades[SHADE - 5], tint);
    variables[`--mantine-color-${name}-text`] = text;
    variables[`--mantine-color-${name}-outline`] = text;
  }
  return variables;
}

export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    ...readableColours(theme, 'light'),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {
    ...readableColours(theme, 'dark'),
    '--mantine-color-dimmed': readableOn(theme.colors.dark[2], theme.colors.dark[5]),
    '--mantine-color-error': readableOn(theme.colors.red[6], theme.colors.dark[5]),
  },
});

/**
 * The colour scheme follows the OS (`prefers-color-scheme`) until the user picks one in the shell's switch;
 * that pick is kept in this browser's localStorage under this key (nothing else of the console is stored
 * there), and "Auto" removes it again.
 */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'postwire-color-scheme' });
