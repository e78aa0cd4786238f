import { Injectable, Logger } from '@nestjs/common';
import { cutText } from '@postwire/core';
import {
  checkConfig,
  isAdapterError,
  limitsOf,
  STRICT_LIMITS,
  type AdapterLimits,
  type AdapterRequest,
  type AdapterResponse,
  type ConfigOf,
  type ConfigSchema,
  type CanonicalPostback,
  type NetworkAdapter,
  type PostbackOutcome,
  withoutPersonalData,
} from '@postwire/plugin-sdk';
import type { RecordResult } from '@postwire/persistence';
import { safeLogValue } from '@postwire/security';
import { ConversionIntake } from '../conversions';
import { AdapterSecrets } from '../plugins/adapter-secrets';
import { ApiError } from '../http/api-error';
import type { GuardedNetwork } from '../http/guarded-network';
import { PluginRegistry } from '../plugins/plugin-registry';

export interface PostbackReply {
  status: number;
  contentType: string;
  body: string;
}

/** Reads the request once the limits that apply to it are known (see readPostbackRequest). */
export type PostbackReader = (limits: AdapterLimits) => { request: AdapterRequest; logged: Record<string, unknown> };

/** An adapter's typed refusal of an event type it does not know; recognised by code, as plugins bring their own SDK copy. */
function unsupportedEventOf(error: unknown): string | undefined {
  if (!isAdapterError(error) || error.code !== 'unsupported_event') return undefined;
  const event = (error as { event?: unknown }).event;
  return typeof event === 'string' ? event : 'unknown';
}

/** Keeps the postback log bounded whatever a sender throws at us. */
const MAX_LOGGED_PARAMS_BYTES = 8 * 1024;

/**
 * The inbound side: find the network and its adapter, let the adapter check and read the
 * request, then record each canonical postback and enqueue its deliveries (ConversionIntake).
 */
@Injectable()
export class PostbackService {
  private readonly logger = new Logger(PostbackService.name);

  constructor(
    private readonly registry: PluginRegistry,
    private readonly intake: ConversionIntake,
    private readonly adapterSecrets: AdapterSecrets,
  ) {}

  /**
   * `guarded` is what PostbackGuard resolved for this request: the network, and on the bare
   * `/postback` the request it already read and parsed. `read` is called when the request still has
   * to be read, once the adapter is known, with its limits on `/postback/:network` and the strict ones
   * on the generic `/postback`.
   */
  async handle(networkRef: string | undefined, guarded: GuardedNetwork, read: PostbackReader): Promise<PostbackReply> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let adapter: NetworkAdapter<any>;
    let config: ConfigOf<ConfigSchema> = {};
    let networkId: string | undefined;
    if (networkRef === undefined) {
      adapter = this.requireAdapter('generic');
    } else {
      const network = guarded.network;
      if (!network) throw new ApiError('unknown_network', `No network with id or slug "${networkRef.slice(0, 64)}".`);
      adapter = this.requireAdapter(network.adapter);
      // Secret settings are opened only here, for the adapter run (see AdapterSecrets).
      const checked = checkConfig(adapter.configSchema, await this.adapterSecrets.configFor(network));
      if (!checked.ok) throw new ApiError('adapter_misconfigured', `Network "${network.slug}" has an invalid adapter config: ${checked.errors.join('; ')}`);
      config = checked.value;
      networkId = network.id;
    }
    // The guard read and parsed a bare `/postback` with the same function and the same generic adapter.
    const parsed = networkRef === undefined ? guarded.generic : undefined;
    const { request, logged: loggedParams } = parsed ?? read(networkRef === undefined ? STRICT_LIMITS : limitsOf(adapter));
    const check = adapter.answers?.endpointCheck;
    if (check && request.method === 'GET' && Object.keys(request.query).length === 0 && request.rawBody.length === 0) {
      // The network checking that the URL answers (Digistore24 does when the IPN URL is saved): nothing to record.
      return this.custom(check);
    }
    if (!adapter.methods.includes(request.method)) {
      throw new ApiError('method_not_allowed', `The ${adapter.id} adapter accepts ${adapter.methods.join(' and ')} only.`);
    }
    // The buyer's personal data the adapter marks is not kept in the postback log (see NetworkAdapter.personalData).
    const params = capParams(withoutPersonalData(loggedParams, adapter.personalData));
    const base = { channel: 's2s' as const, networkId, params, ip: request.ip, receivedAt: new Date() };
    let postbacks: CanonicalPostback[];
    try {
      postbacks = parsed && !adapter.verify ? parsed.postbacks : await this.runAdapter(adapter, request, config);
    } catch (error) {
      const event = unsupportedEventOf(error);
      if (event === undefined) throw error;
      // Networks retry refusals and some switch the URL off over them; an event type we do not use is
      // acknowledged, and logged so that it can be seen.
      const result = await this.intake.logOnly({ ...base, outcome: 'ignored', reason: `unsupported_event:${safeLogValue(event, 64)}` });
      return this.reply(adapter, [result]);
    }
    // Every postback is checked before the first is recorded: a 400 must leave nothing stored.
    const keepsUnattributed = adapter.answers?.withoutClickId === 'unattributed';
    if (postbacks.some((p) => !p.clickId && !(keepsUnattributed && p.txid))) throw ApiError.badParameter('click_id', 'is required');
    // All of a request's postbacks are handed over at once, in order, so they join one batch (one commit), not one each.
    const pending = postbacks.map((postback) => {
      const event = {
        goal: postback.goal,
        txid: postback.txid,
        status: postback.status,
        ...(postback.statusByCurrent ? { statusByCurrent: postback.statusByCurrent } : {}),
        payout: postback.payout,
        revenue: postback.revenue,
        currency: postback.currency,
      };
      // A genuine sale that did not come through a tracked link is kept with its txid and amounts.
      if (!postback.clickId) return this.intake.logOnly({ ...base, ...event, outcome: 'unattributed', reason: 'no_click_id' });
      return this.intake.record({ ...base, ...event, clickId: cutText(postback.clickId, 128), context: guarded.clickContext });
    });
    const settled = await Promise.allSettled(pending);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((s) => (s as PromiseFulfilledResult<RecordResult>).value);
    for (const [i, result] of results.entries()) {
      // Someone named a txid that belongs to another click's conversion: a guess or a hijack attempt, worth an operator's look.
      if (result.reason === 'txid_conflict') {
        this.logger.warn(
          `postback refused: txid_conflict click=${safeLogValue(postbacks[i].clickId, 64)} network=${networkId ?? 'generic'} ip=${safeLogValue(request.ip, 64)} postback=${result.postbackId}`,
        );
      }
    }
    return this.reply(adapter, results);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private requireAdapter(id: string): NetworkAdapter<any> {
    const adapter = this.registry.adapter(id);
    if (!adapter) throw new ApiError('adapter_not_installed', `The network adapter "${id}" is not installed on this tracker.`);
    return adapter;
  }

  /** Runs an adapter; an adapter that throws anything but its typed errors has met input it did not expect: a 400, not a 500. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async runAdapter(adapter: NetworkAdapter<any>, request: AdapterRequest, config: ConfigOf<ConfigSchema>): Promise<CanonicalPostback[]> {
    try {
      if (adapter.verify) await adapter.verify(request, config);
      return await adapter.parse(request, config);
    } catch (error) {
      if (isAdapterError(error) || error instanceof ApiError) throw error;
      this.logger.warn(`adapter ${adapter.id} threw ${safeLogValue((error as Error)?.name, 64)}: ${safeLogValue((error as Error)?.message)}`);
      throw new ApiError('bad_request', `The ${adapter.id} adapter could not read this request.`);
    }
  }

  private custom(answer: AdapterResponse): PostbackReply {
    return { status: answer.status ?? 200, contentType: answer.contentType ?? 'text/plain; charset=utf-8', body: answer.body };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private reply(adapter: NetworkAdapter<any>, results: RecordResult[]): PostbackReply {
    const outcome: PostbackOutcome = { results: results.map((r) => ({ status: r.outcome, conversionId: r.conversionId, reason: r.reason })) };
    if (adapter.respond) return this.custom(adapter.respond(outcome));
    const view = (r: RecordResult) => ({
      status: r.outcome,
      ...(r.conversionId ? { conversion_id: r.conversionId } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    });
    const body = results.length === 1 ? view(results[0]) : { status: results.length ? results[0].outcome : 'accepted', results: results.map(view) };
    return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
  }
}

function capParams(params: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(params);
  if (json.length <= MAX_LOGGED_PARAMS_BYTES) return params;
  return { _truncated: true, _bytes: json.length, head: cutText(json, MAX_LOGGED_PARAMS_BYTES) };
}
