import { renderDelivery, type DeliveryValues, type ForwardingFilter, type ForwardingFormat, type RenderedDelivery } from '../attribution/delivery-plan';
import type { ConversionSnapshot } from '../attribution/types';

/** What forwarding rules would do with one stored conversion, as the rules editor's live preview shows it. */
export interface ForwardingPreview {
  /** Whether the rules let the conversion's current status and goal through. */
  forwarded: boolean;
  /** Why not, in plain words; null when it is forwarded. */
  reason: string | null;
  /** The request that would be sent (rendered even when not forwarded, to show the format). */
  request: RenderedDelivery;
}

/**
 * Applies the same filter the recorder applies (enabled, goal, status, pixel-only) to the
 * conversion as it stands now, and renders the request with the same code as a real delivery.
 */
export function previewForwarding(
  settings: ForwardingFilter & ForwardingFormat,
  conversion: Pick<ConversionSnapshot, 'status' | 'goal' | 'source'>,
  values: DeliveryValues,
): ForwardingPreview {
  const request = renderDelivery(settings, values);
  const goalName = conversion.goal === '' ? 'the default goal' : `goal "${conversion.goal}"`;
  let reason: string | null = null;
  if (!settings.enabled) reason = 'the traffic source is disabled';
  else if (settings.goals !== null && !settings.goals.includes(conversion.goal)) reason = `${goalName} is not among the goals forwarded`;
  else if (settings.statuses !== null && !settings.statuses.includes(conversion.status))
    reason = `status "${conversion.status}" is not among the statuses forwarded`;
  else if (conversion.source === 'pixel' && !settings.forwardPixel) reason = 'only a pixel reported this conversion, and pixel conversions are not forwarded';
  return { forwarded: reason === null, reason, request };
}
