import { Inject, Injectable, Optional } from '@nestjs/common';
import { CampaignRepository, isUuid, type CampaignRoute } from '@postwire/persistence';

export type { CampaignRoute };

export interface CampaignRoutesOptions {
  /** How long a looked-up route is used without asking the database again. */
  ttlMs: number;
  /** Past this age an entry is not even served while its refresh runs. */
  maxStaleMs: number;
  /** Most campaigns kept; the oldest entry makes room. */
  maxEntries: number;
}

/** Injection token for overriding the defaults (tests). */
export const CAMPAIGN_ROUTES_OPTIONS = Symbol('CAMPAIGN_ROUTES_OPTIONS');

const DEFAULTS: CampaignRoutesOptions = { ttlMs: 5000, maxStaleMs: 30_000, maxEntries: 10_000 };

interface Entry {
  route: CampaignRoute | null;
  loadedAt: number;
}

/**
 * What a click needs from its campaign (offer URL, external-id parameter), kept in memory so a
 * click costs no database round trip. Every tracker process has its own copy; nothing tells it
 * about changes, so an entry is trusted for `ttlMs` (5 s): an edited offer URL or campaign reaches
 * every tracker within that time. After it, the entry is still served while one refresh runs in
 * the background (clicks do not wait on the database), unless it is older than `maxStaleMs`.
 * Unknown ids are remembered too (as null), so a flood of clicks on one dead link costs one
 * query per TTL; the size cap keeps a flood of made-up ids from growing the map.
 */
@Injectable()
export class CampaignRoutes {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CampaignRoute | null>>();
  private readonly options: CampaignRoutesOptions;

  constructor(
    private readonly campaigns: CampaignRepository,
    @Optional() @Inject(CAMPAIGN_ROUTES_OPTIONS) options: Partial<CampaignRoutesOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The route, from memory when it is fresh enough, else from the database (one query per id at a time). */
  get(campaignId: string): CampaignRoute | null | Promise<CampaignRoute | null> {
    // Not an id at all: nothing to ask the database, nothing to remember.
    if (!isUuid(campaignId)) return null;
    const entry = this.entries.get(campaignId);
    if (entry) {
      const age = Date.now() - entry.loadedAt;
      if (age < this.options.ttlMs) return entry.route;
      if (age < this.options.maxStaleMs) {
        void this.load(campaignId).catch(() => undefined);
        return entry.route;
      }
    }
    return this.load(campaignId);
  }

  /** Forgets one campaign (or all): the next click reads it again. For changes made in this process. */
  invalidate(campaignId?: string): void {
    if (campaignId === undefined) this.entries.clear();
    else this.entries.delete(campaignId);
  }

  private load(campaignId: string): Promise<CampaignRoute | null> {
    const running = this.loading.get(campaignId);
    if (running) return running;
    const promise = this.campaigns
      .getRoute(campaignId)
      .then((route) => {
        if (this.entries.size >= this.options.maxEntries && !this.entries.has(campaignId)) {
          this.entries.delete(this.entries.keys().next().value as string);
        }
        // Re-inserted so Map order stays oldest-loaded first for the eviction above.
        this.entries.delete(campaignId);
        this.entries.set(campaignId, { route: route ?? null, loadedAt: Date.now() });
        return route ?? null;
      })
      .finally(() => this.loading.delete(campaignId));
    this.loading.set(campaignId, promise);
    return promise;
  }
}
