import { formatMoney } from './format';

/** What a conversion picker needs of a conversion. */
export interface PickableConversion {
  id: string;
  status: string;
  goal: string;
  payout: string | null;
  currency: string;
  isTest?: boolean;
}

/**
 * A stored conversion as the preview pickers list it (the forwarding rules' and the target's): status, goal, the
 * payout formatted with its currency like the rest of the console, a test mark, and the start of its id.
 */
export function conversionLabel(c: PickableConversion): string {
  return [c.status, c.goal || 'default goal', formatMoney(c.payout, c.currency), ...(c.isTest ? ['test'] : []), c.id.slice(0, 8)].join(' · ');
}
