import { SUB_PARAMS, GroupCommit, layerFraudPolicies, type ForwardingFilter, type ForwardingFormat, type FraudPolicy } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../../client/sql-client';
import type { Network } from '../catalog.types';
import { CAMPAIGN_RULE_COLUMNS, campaignRulesFromRow, withCampaignRules } from '../campaign-forwarding-rules.repository';
import { clickByIdSql, clickIdRange } from '../click.repository';
import { FORWARDING_COLUMNS, forwardingSettingsFromRow } from '../traffic-source.repository';

/**
 * What recording a postback needs to know about its click: campaign, offer, network (with its guards,
 * for the guard of a bare `/postback`), the goal's settings and the traffic source's forwarding settings.
 * Loaded for a whole batch in one statement; a bare `/postback`'s guard loads it first and hands it on
 * (see {@link ClickContextLoader}), so the click is read once per postback.
 */
export interface ClickContext {
  clickId: string;
  /** The goal this context's `manyPerClick` was read for. */
  goal: string;
  clickAt: Date;
  campaignId: string;
  offerId: string;
  offerPayout: string | null;
  networkId: string;
  network: Network;
  defaultCurrency: string;
  windowDays: number;
  manyPerClick: boolean | null;
  externalId: string | null;
  subs: Record<string, string | null>;
  /** What fraud scoring needs of the click (its country '' when unknown), and the stored policy (the offer's with the campaign's laid over it; `{}`: defaults). */
  fraud: { ip: string | null; userAgent: string | null; country: string; policy: Partial<FraudPolicy> };
  /** The traffic source's forwarding settings, with the campaign's own rules laid over them. */
  source: { id: string; campaignRetryScheduleMs: number[] | null } & ForwardingFilter & ForwardingFormat;
}

export interface ClickContextKey {
  clickId: string;
  goal: string;
}

const CONTEXTS = `
SELECT r.n, c.id, c.created_at, c.campaign_id, c.external_id, ${SUB_PARAMS.map((s) => 'c.' + s).join(', ')},
       o.id AS offer_id, o.payout AS offer_payout, g.many_per_click, ts.id AS ts_id, ${FORWARDING_COLUMNS}, ${CAMPAIGN_RULE_COLUMNS},
       n.id AS net_id, n.name AS net_name, n.slug AS net_slug, n.adapter AS net_adapter, n.adapter_config AS net_adapter_config,
       n.default_currency AS net_default_currency, n.attribution_window_days AS net_window_days, n.guards AS net_guards,
       ARRAY(SELECT jsonb_object_keys(n.adapter_secrets) ORDER BY 1) AS net_secret_fields, n.created_at AS net_created_at,
       n.paused_at AS net_paused_at, n.archived_at AS net_archived_at, n.version AS net_version, n.tags AS net_tags,
       c.ip AS click_ip, c.user_agent AS click_ua, c.country AS click_country, ofp.policy AS offer_fraud_policy, cfp.policy AS campaign_fraud_policy
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS r(click_id, goal, n)
JOIN LATERAL ${clickByIdSql('r.click_id', '*', ['$3', '$4'])} c ON true
JOIN campaigns cp ON cp.id = c.campaign_id
JOIN offers o ON o.id = cp.offer_id
JOIN networks n ON n.id = o.network_id
JOIN traffic_sources ts ON ts.id = cp.traffic_source_id
LEFT JOIN offer_goals g ON g.offer_id = o.id AND g.goal = r.goal
LEFT JOIN campaign_forwarding_rules cfr ON cfr.campaign_id = cp.id
LEFT JOIN campaign_fraud_policies cfp ON cfp.campaign_id = cp.id
LEFT JOIN offer_fraud_policies ofp ON ofp.offer_id = o.id`;

/** Loads the contexts of several (click, goal) pairs in one statement; the answer has one slot per key, `undefined` for an unknown click. */
export async function loadClickContexts(db: SqlExecutor, keys: readonly ClickContextKey[]): Promise<Array<ClickContext | undefined>> {
  const found: Array<ClickContext | undefined> = new Array(keys.length).fill(undefined);
  if (keys.length === 0) return found;
  const ids = keys.map((k) => k.clickId);
  const { rows } = await db.query<Record<string, unknown>>(CONTEXTS, [ids, keys.map((k) => k.goal), ...clickIdRange(ids)]);
  for (const r of rows) {
    const slot = Number(r.n) - 1;
    const network: Network = {
      id: r.net_id as string,
      name: r.net_name as string,
      slug: r.net_slug as string,
      adapter: r.net_adapter as string,
      adapterConfig: r.net_adapter_config as Network['adapterConfig'],
      defaultCurrency: r.net_default_currency as string,
      attributionWindowDays: r.net_window_days as number,
      guards: r.net_guards as Network['guards'],
      secretFields: r.net_secret_fields as string[],
      pausedAt: r.net_paused_at as Date | null,
      archivedAt: r.net_archived_at as Date | null,
      version: r.net_version as number,
      tags: r.net_tags as string[],
      createdAt: r.net_created_at as Date,
    };
    found[slot] = {
      clickId: r.id as string,
      goal: keys[slot].goal,
      clickAt: r.created_at as Date,
      campaignId: r.campaign_id as string,
      offerId: r.offer_id as string,
      offerPayout: r.offer_payout as string | null,
      networkId: network.id,
      network,
      defaultCurrency: network.defaultCurrency.trim(),
      windowDays: network.attributionWindowDays,
      manyPerClick: r.many_per_click as boolean | null,
      externalId: r.external_id as string | null,
      subs: Object.fromEntries(SUB_PARAMS.map((s) => [s, r[s] as string | null])),
      fraud: {
        ip: r.click_ip as string | null,
        userAgent: r.click_ua as string | null,
        country: (r.click_country as string | null) ?? '',
        // Layered as the click's was (CampaignRepository.getRoute): one function for clicks and conversions.
        policy: layerFraudPolicies(r.offer_fraud_policy as Partial<FraudPolicy> | null, r.campaign_fraud_policy as Partial<FraudPolicy> | null),
      },
      source: (() => {
        const rules = campaignRulesFromRow(r);
        return { id: r.ts_id as string, campaignRetryScheduleMs: rules.retryScheduleMs, ...withCampaignRules(forwardingSettingsFromRow(r), rules) };
      })(),
    };
  }
  return found;
}

/**
 * Loads click contexts for callers that ask one at a time (the guard of each bare `/postback`): the
 * requests of one event-loop turn share one statement, so a burst of postbacks reads its clicks together.
 */
export class ClickContextLoader {
  private readonly batches: GroupCommit<ClickContextKey, ClickContext | undefined>;

  constructor(db: SqlClient) {
    // In a transaction of its own for its generic plan (see TransactionOptions.genericPlans); it writes nothing, so its commit waits for no disk.
    this.batches = new GroupCommit((keys) => db.transaction((tx) => loadClickContexts(tx, keys), { genericPlans: true }), { maxBatch: 200, maxInFlight: 2 });
  }

  load(clickId: string, goal: string): Promise<ClickContext | undefined> {
    return this.batches.add({ clickId, goal });
  }
}
