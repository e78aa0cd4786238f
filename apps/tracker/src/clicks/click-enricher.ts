import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import {
  clickCost,
  FraudScorer,
  firedReasons,
  referrerDomain,
  visitorHash,
  verdictFor,
  withFraudDefaults,
  type ClickVelocity,
  type FraudPolicy,
  type SignalReading,
} from '@postwire/core';
import type { NewClick } from '@postwire/persistence';
import type { ClickPluginReadings } from './click-scorer-plugins';
import * as geoip from 'geoip-country';
import UAParser from 'ua-parser-js';

interface Device {
  deviceType: string;
  os: string;
  browser: string;
}

const UA_CACHE_SIZE = 10_000;
const NO_POLICY: Partial<FraudPolicy> = {};

/**
 * Adds country, device, OS, browser, referrer domain, visitor and cost to clicks. Runs in the
 * click writer's batch, never on the redirect. Country comes from `geoip-country` (MaxMind
 * GeoLite2 country data inside the npm package, looked up in memory, no network); device, OS and
 * browser from `ua-parser-js` 1.x (MIT; 2.x is AGPL, which a self-hosted MIT project cannot ship).
 * User-Agents repeat a lot, so parsed ones are cached. Each click is also scored for fraud here
 * (its campaign's policy, docs/fraud.md), off the redirect's path.
 */
@Injectable()
export class ClickEnricher implements OnModuleInit {
  private readonly devices = new Map<string, Device>();

  private readonly scorer?: FraudScorer;
  /** Each cached route's stored policy over the defaults, made once: the scorer then finds its compiled form by identity. */
  private readonly policies = new WeakMap<Partial<FraudPolicy>, FraudPolicy>();

  /** Without a scorer (unit tests of enrichment alone), or with FRAUD_SCORING=off, clicks are not scored. */
  constructor(@Optional() scorer?: FraudScorer, @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>) {
    this.scorer = config?.fraud.scoring === false ? undefined : scorer;
  }

  /** Loads the IP data (a few MB) at boot rather than in the first batch. */
  onModuleInit(): void {
    geoip.lookup('127.0.0.1');
  }

  /**
   * The batch with `enrichment` set on every click; the cookie's click is followed inside the batch too.
   * `velocity`: each click's windowed counts, when the writer could measure them (velocity signals).
   * `plugins`: what the installed scorer plugins answered on each click, weighed in like built-in signals.
   */
  enrich(clicks: readonly NewClick[], velocity?: ReadonlyMap<string, ClickVelocity>, plugins?: ClickPluginReadings): NewClick[] {
    const keys = new Map<string, string>();
    return clicks.map((click) => {
      if (click.enrichment) {
        keys.set(click.id, click.enrichment.visitorKey);
        return click;
      }
      const raw = click.raw ?? {};
      const device = this.device(click.userAgent);
      const { cost, missing } = clickCost(raw.costModel, raw.costValue, raw.costParamValue);
      // A cookie naming a click of this same batch: that click's visitor, without asking the database.
      const inBatch = raw.cookieClickId ? keys.get(raw.cookieClickId) : undefined;
      const visitorKey = inBatch ?? visitorHash(click.ip, click.userAgent);
      keys.set(click.id, visitorKey);
      return {
        ...click,
        enrichment: {
          country: countryOf(click.ip),
          ...device,
          referrerDomain: referrerDomain(raw.referer),
          visitorKey,
          cookieClickId: inBatch ? undefined : raw.cookieClickId,
          cost,
          costMissing: missing,
          fraud: this.fraud(click, velocity?.get(click.id), plugins?.get(click.id)),
        },
      };
    });
  }

  /** The click's fraud score and fired reasons under its campaign's policy (docs/fraud.md). */
  private fraud(
    click: NewClick,
    velocity: ClickVelocity | undefined,
    plugin: { readings: SignalReading[]; notes: string[] } | undefined,
  ): { score: number; reasons: string[]; suspicious: boolean } | undefined {
    if (!this.scorer) return undefined;
    const stored = click.raw?.fraudPolicy ?? NO_POLICY;
    let policy = this.policies.get(stored);
    if (!policy) this.policies.set(stored, (policy = withFraudDefaults(stored)));
    const builtIn = this.scorer.assessClick({ ip: click.ip, userAgent: click.userAgent, subs: click.subs, velocity }, policy);
    // A click stores no notes (only its score and reasons): a scorer that timed out simply adds nothing.
    const assessment = plugin?.readings.length ? this.scorer.withReadings(builtIn, plugin.readings, policy) : builtIn;
    // Suspicious as judged now: a later change of the flag score does not recount stored clicks.
    return { score: assessment.score, reasons: firedReasons(assessment), suspicious: verdictFor(assessment.score, policy) !== 'allow' };
  }

  private device(userAgent: string | undefined): Device {
    if (!userAgent) return { deviceType: '', os: '', browser: '' };
    const cached = this.devices.get(userAgent);
    if (cached) return cached;
    const result = new UAParser(userAgent).getResult();
    // ua-parser-js names no type for desktops: a User-Agent with an OS and no device type is one.
    const device: Device = {
      deviceType: result.device.type ?? (result.os.name ? 'desktop' : ''),
      os: result.os.name ?? '',
      browser: result.browser.name ?? '',
    };
    if (this.devices.size >= UA_CACHE_SIZE) this.devices.delete(this.devices.keys().next().value as string);
    this.devices.set(userAgent, device);
    return device;
  }
}

function countryOf(ip: string | undefined): string {
  if (!ip) return '';
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  try {
    return geoip.lookup(address)?.country ?? '';
  } catch {
    return '';
  }
}
