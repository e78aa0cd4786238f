import { SUB_PARAMS, type SubParam } from './macros';

/**
 * Where a traffic source's token goes in the campaign link: the click id (the campaign's
 * `externalIdParam`), the click's cost (the campaign's `costParam`), or one of `sub1`…`sub10`.
 */
export const TOKEN_TARGETS = ['external_id', 'cost', ...SUB_PARAMS] as const;
export type TokenTarget = 'external_id' | 'cost' | SubParam;

/** Most tokens one source may declare: one per target. */
export const MAX_TOKENS = TOKEN_TARGETS.length;

/**
 * One value a traffic source fills into the link at click time, in its own syntax
 * (`{zoneid}`, `${SUBID}`, `[CLICK_ID]`, `{{ad.id}}`, `__CID__` …).
 */
export interface TrackingToken {
  /** The Postwire parameter it fills. */
  target: TokenTarget;
  /** The source's macro, written as the source documents it. */
  macro: string;
  /** What it is, in a word or two ("zone", "creative"): the reports' column label for its `subN`. */
  label: string;
}

/** What a link checker found missing; the console shows each as a warning next to the link. */
export interface LinkWarning {
  token: 'external_id' | 'cost';
  message: string;
}

export interface CampaignLinkInput {
  /** The tracker's public base URL, without a trailing slash. */
  publicUrl: string;
  campaignId: string;
  externalIdParam: string;
  costParam: string;
  costModel: string;
  tokens: readonly TrackingToken[];
}

export interface CampaignLink {
  url: string;
  warnings: LinkWarning[];
}

/** Shown where the source's click-id macro belongs when none is declared. */
export const CLICK_ID_PLACEHOLDER = '{your_click_id_macro}';
/** Shown where the source's cost macro belongs for an auto-cost campaign when none is declared. */
export const COST_PLACEHOLDER = '{your_cost_macro}';

/**
 * The link to give the traffic source: `/c/<id>` with each declared token in its parameter. The
 * macros are written as they are, not URL-encoded: the source looks for them literally and
 * replaces them before anyone follows the link. The click id always comes first and an
 * auto-cost campaign always carries its cost parameter; either one missing from the source's
 * tokens gets a visible placeholder and a warning, as such a link loses conversions or costs.
 */
export function buildCampaignLink(input: CampaignLinkInput): CampaignLink {
  const byTarget = new Map(input.tokens.map((t) => [t.target, t]));
  const warnings: LinkWarning[] = [];
  const pairs: Array<[string, string]> = [];
  const clickId = byTarget.get('external_id');
  if (!clickId)
    warnings.push({
      token: 'external_id',
      message: `The traffic source has no click-id token: replace ${CLICK_ID_PLACEHOLDER} with its click-id macro (or add the token to the source), or no conversion can be reported back to it.`,
    });
  pairs.push([input.externalIdParam, clickId?.macro ?? CLICK_ID_PLACEHOLDER]);
  const cost = byTarget.get('cost');
  if (input.costModel === 'auto') {
    if (!cost)
      warnings.push({
        token: 'cost',
        message: `This campaign takes each click's cost from the link, and the traffic source has no cost token: replace ${COST_PLACEHOLDER} with its cost macro (or add the token to the source), or clicks are counted without cost.`,
      });
    pairs.push([input.costParam, cost?.macro ?? COST_PLACEHOLDER]);
  }
  for (const sub of SUB_PARAMS) {
    const token = byTarget.get(sub);
    if (token) pairs.push([sub, token.macro]);
  }
  const query = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  return { url: `${input.publicUrl}/c/${input.campaignId}?${query}`, warnings };
}

/** Why a list of tokens cannot be stored, with the index at fault; undefined when it can. */
export function tokenListProblem(tokens: readonly TrackingToken[]): { index: number; field: 'target' | 'macro'; message: string } | undefined {
  const seen = new Set<string>();
  for (const [index, token] of tokens.entries()) {
    if (seen.has(token.target)) return { index, field: 'target', message: `"${token.target}" is filled by another token already` };
    seen.add(token.target);
    // `&`, `#`, whitespace or `=` would split the link's query; the source's own macro never needs them.
    if (/[&#=\s]/.test(token.macro)) return { index, field: 'macro', message: 'must not contain &, #, = or spaces' };
  }
  return undefined;
}

/**
 * The report column label of each `subN` across the given sources' tokens: kept only when every
 * source that fills that `subN` calls it the same, so a label never names one source's value in
 * a column that mixes several meanings.
 */
export function subLabels(tokenLists: ReadonlyArray<readonly TrackingToken[]>): Partial<Record<SubParam, string>> {
  const found = new Map<SubParam, string | null>();
  for (const tokens of tokenLists) {
    for (const token of tokens) {
      if (token.target === 'external_id' || token.target === 'cost') continue;
      const label = token.label.trim();
      const before = found.get(token.target);
      if (before === undefined) found.set(token.target, label);
      else if (before !== null && before.toLowerCase() !== label.toLowerCase()) found.set(token.target, null);
    }
  }
  const labels: Partial<Record<SubParam, string>> = {};
  for (const [sub, label] of found) if (label) labels[sub] = label;
  return labels;
}
