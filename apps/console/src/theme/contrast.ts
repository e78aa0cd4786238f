import { darken, lighten, luminance, toRgba } from '@mantine/core';

/** WCAG 2 AA for normal text; axe-core's `color-contrast` rule checks the same figure. */
export const AA_TEXT = 4.5;
/** A little over AA, so a rounding in the browser's colour blending cannot tip a colour under it. */
const TARGET = AA_TEXT + 0.1;

/** The WCAG contrast ratio of two opaque colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The opaque colour a translucent `top` makes over an opaque `bottom` (as the browser paints a tint on a row). */
export function over(top: string, bottom: string): string {
  const t = toRgba(top);
  const b = toRgba(bottom);
  const mix = (x: number, y: number) => Math.round(x * t.a + y * (1 - t.a));
  return `rgb(${mix(t.r, b.r)}, ${mix(t.g, b.g)}, ${mix(t.b, b.b)})`;
}

function hex(color: string): string {
  const { r, g, b } = toRgba(color);
  return `#${[r, g, b].map((n) => Math.round(n).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * `color` if it reaches AA on `background`, else the same hue made darker (on a light background) or lighter
 * (on a dark one) step by step until it does. Keeps the palette's look where it already passes.
 */
export function readableOn(color: string, background: string): string {
  const towardsBlack = luminance(background) > 0.18;
  let candidate = hex(color);
  for (let step = 1; step <= 20 && contrastRatio(candidate, background) < TARGET; step++)
    candidate = hex(towardsBlack ? darken(color, step * 0.05) : lighten(color, step * 0.05));
  return candidate;
}
