import type { ClaimedDelivery } from '@postwire/core';
import type { ForwardingTargetRepository, SourceTarget, StoredTargetConversion } from '@postwire/persistence';
import {
  checkConfig,
  type ConfigOf,
  type ConfigSchema,
  type ForwardingTarget,
  type TargetAnswer,
  type TargetBuild,
  type TargetContext,
  type TargetConversion,
  type TargetVerdict,
  personalDigestsFor,
} from '@postwire/plugin-sdk';
import type { PluginRegistry } from './plugin-registry';

/** A target's side-call client (OAuth token exchanges): the worker's guarded HTTP client. */
export type TargetHttp = TargetContext['http'];

/** What the processor receives for one delivery (libs/forwarding's `PreparedTargetDelivery`, structurally). */
export type PreparedTarget =
  | { kind: 'not_sent'; targetId: string; reason: string }
  /** The target failed before sending (a refused OAuth token exchange): its verdict decides retry or give-up. */
  | { kind: 'failed'; targetId: string; verdict: Extract<TargetVerdict, { kind: 'retry' | 'permanent' }> }
  | {
      kind: 'send';
      targetId: string;
      event: string | null;
      request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body: string | null };
      read(answer: TargetAnswer): TargetVerdict;
    };

/** The settings of a target with its secret fields opened (in memory only) and validated against its schema. */
type OpenedConfig = { ok: true; value: ConfigOf<ConfigSchema> } | { ok: false; reason: string };

/** Values of a target config's secret fields: sealed at rest, shown as this in the API and console. */
export const MASKED_SECRET = '••••••';

/** The names of a target's secret settings. */
export function secretFields(target: ForwardingTarget): string[] {
  return Object.entries(target.configSchema as ConfigSchema)
    .filter(([, field]) => field.secret)
    .map(([key]) => key);
}

/**
 * The stored rows as the SDK's TargetConversion for `target`: personal data as the stored SHA-256 digests of
 * the target's own normalisation (the SDK helpers pass them through).
 */
export function targetConversion(stored: StoredTargetConversion, target: Pick<ForwardingTarget, 'normalisation'>): TargetConversion {
  const { conversion, click } = stored;
  const { landingUrl, ...identifiers } = click.adIds;
  return {
    id: conversion.id,
    status: conversion.status,
    previousStatus: conversion.previousStatus,
    goal: conversion.goal === '' ? null : conversion.goal,
    txid: conversion.txid,
    payout: conversion.payout,
    revenue: conversion.revenue,
    currency: conversion.currency || null,
    occurredAt: conversion.occurredAt,
    click: { id: click.id, at: click.at, ip: click.ip, userAgent: click.userAgent, country: click.country, landingUrl: landingUrl ?? null, identifiers },
    personal: personalDigestsFor(stored.personal, target.normalisation),
    isTest: conversion.isTest,
  };
}

/**
 * Runs forwarding targets: finds a source's target in the plugin registry, opens its sealed secrets, builds the
 * request of a delivery from the stored conversion (the first forward with `build`, a later status with `update`),
 * and hands the processor the target's reading of the answer. The console's preview uses the same path.
 */
export class TargetRuntime {
  private readonly cacheEntries = new Map<string, { value: string; until: number }>();
  private readonly cache: TargetContext['cache'] = {
    get: (key) => {
      const hit = this.cacheEntries.get(key);
      if (!hit || hit.until <= Date.now()) return undefined;
      return hit.value;
    },
    set: (key, value, ttlMs) => void this.cacheEntries.set(key, { value, until: Date.now() + ttlMs }),
  };

  constructor(
    private readonly registry: Pick<PluginRegistry, 'target'>,
    private readonly store: Pick<ForwardingTargetRepository, 'forDelivery' | 'forConversion'>,
    private readonly openSecret: (sealed: string) => string,
    private readonly http: TargetHttp,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The processor's port (`TargetDeliveries.prepare`). */
  async prepare(delivery: Pick<ClaimedDelivery, 'id' | 'targetId'>): Promise<PreparedTarget> {
    const targetId = delivery.targetId ?? 'postback-url';
    const stored = await this.store.forDelivery(delivery.id);
    if (!stored) return { kind: 'not_sent', targetId, reason: 'the delivery has no stored conversion to build a request from (a test delivery)' };
    return this.run(stored, stored.source, stored.event !== 'created');
  }

  /** The request a source's target (or the given unsaved settings, secrets sealed or masked) would send for one stored conversion. */
  async preview(conversionId: string, sourceId: string, settings?: SourceTarget): Promise<PreparedTarget | undefined> {
    const stored = await this.store.forConversion(conversionId, sourceId);
    if (!stored) return undefined;
    return this.run(stored, settings ?? stored.source, false);
  }

  /** A test delivery's request: the made-up conversion (testTargetConversion) built with the source's target. */
  async test(conversion: StoredTargetConversion): Promise<PreparedTarget> {
    return this.run(conversion, conversion.source, false);
  }

  private async run(stored: StoredTargetConversion, settings: SourceTarget, isUpdate: boolean): Promise<PreparedTarget> {
    const targetId = settings.targetId;
    const target = this.registry.target(targetId);
    if (!target) return { kind: 'not_sent', targetId, reason: `the target "${targetId}" is not installed (no plugin defines it)` };
    const config = this.openConfig(target, settings.config);
    if (!config.ok) return { kind: 'not_sent', targetId, reason: config.reason };
    const context: TargetContext = { now: this.now(), mapping: settings.mapping, http: this.http, cache: this.cache };
    const conversion = targetConversion(stored, target);
    let built: TargetBuild;
    if (isUpdate && !target.update) built = { kind: 'not_sent', reason: `${target.displayName} does not take later status changes` };
    else {
      try {
        built = await (isUpdate ? target.update! : target.build).call(target, conversion, config.value, context);
      } catch (error) {
        // A target reports what it cannot do as a result (not_sent, failed); an exception is a bug in the plugin.
        // Retrying would fail the same way on every attempt and delay the alert, so it is given up at once.
        const reason = `the ${target.displayName} plugin failed while building the request (${(error as Error).message}); a bug in the plugin: replay the delivery once it is fixed`;
        return { kind: 'failed', targetId, verdict: { kind: 'permanent', reason, alert: true } };
      }
    }
    if (built.kind === 'not_sent') return { kind: 'not_sent', targetId, reason: built.reason };
    if (built.kind === 'failed') return { kind: 'failed', targetId, verdict: built.verdict };
    const value = config.value;
    return { kind: 'send', targetId, event: built.event, request: built.request, read: (answer) => target.read(answer, value) };
  }

  /** The config with its secrets opened, checked against the target's schema (a setting removed since is reported, not guessed). */
  private openConfig(target: ForwardingTarget, stored: Record<string, unknown>): OpenedConfig {
    const opened: Record<string, unknown> = { ...stored };
    try {
      for (const key of secretFields(target)) if (typeof opened[key] === 'string') opened[key] = this.openSecret(opened[key] as string);
    } catch (error) {
      return { ok: false, reason: `cannot open a secret setting of the target (${(error as Error).message}); check SECRETS_KEY` };
    }
    const checked = checkConfig(target.configSchema as ConfigSchema, opened);
    if (!checked.ok) return { ok: false, reason: `the target's settings are not valid: ${checked.errors.join('; ').replaceAll('adapterConfig', 'config')}` };
    return { ok: true, value: checked.value };
  }
}
