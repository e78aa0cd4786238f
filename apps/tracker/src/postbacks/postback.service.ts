import { Injectable, Logger } from '@nestjs/common';
import { cutText } from '@postwire/core';
import {
  checkConfig,
  isAdapterError,
  isIgnoredEvent,
  limitsOf,
  STRICT_LIMITS,
  type AdapterRequest,
  type AdapterResponse,
  type ConfigOf,
  type ConfigSchema,
  type NetworkAdapter,
  type ParseResult,
  type PostbackOutcome,
  withoutPersonalData,
  personalDigestsOf,
} from '@postwire/plugin-sdk';
import { ClickContextLoader, NetworkRepository, type ClickContext, type Network, type RecordResult } from '@postwire/persistence';
import { safeLogValue } from '@postwire/security';
import { ConversionIntake } from '../conversions';
import { buyerCountry } from '../fraud';
import { bookedBy, PostbackGuards } from '../guards/postback-guards';
import { ApiError } from '../http/api-error';
import { readPostbackRequest, type ArrivedPostback, type ReadPostback } from '../http/postback-request';
import { AdapterSecrets } from '../plugins/adapter-secrets';
import { PluginRegistry } from '../plugins/plugin-registry';
import { RefusalLog, type RefusedContext } from '../postback-log';

export interface PostbackReply {
  status: number;
  contentType: string;
  body: string;
}

/** How the console's test tool asks for a postback to be handled. */
export interface HandleOptions {
  /** A test postback: its conversion is marked test (see InboundConversion.test), forwarded only when `forward`. */
  test?: { forward: boolean };
}

// The SDK's adapter type is generic over its schema; the service runs any of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyAdapter = NetworkAdapter<any>;

/** A bare `/postback`, read and parsed by the generic adapter before its network (the clicked offer's) is known. */
interface GenericPostback {
  read: ReadPostback;
  parsed: ParseResult;
  /** The click the network was found by, handed to the recorder so it is not read again. */
  clickContext?: ClickContext;
}

/** Keeps the postback log bounded whatever a sender throws at us. */
const MAX_LOGGED_PARAMS_BYTES = 8 * 1024;

/**
 * The inbound side, in one straight line: resolve the network once, run its guards
 * ({@link PostbackGuards}), read the request, let the network's adapter check and parse it, then
 * record each canonical postback and enqueue its deliveries (ConversionIntake). The HTTP route and
 * the console's test-postback tool both call {@link handle}.
 */
@Injectable()
export class PostbackService {
  private readonly logger = new Logger(PostbackService.name);

  constructor(
    private readonly registry: PluginRegistry,
    private readonly networks: NetworkRepository,
    private readonly clickContexts: ClickContextLoader,
    private readonly guards: PostbackGuards,
    private readonly intake: ConversionIntake,
    private readonly adapterSecrets: AdapterSecrets,
    private readonly refusals: RefusalLog,
  ) {}

  /**
   * Handles one postback: `networkRef` is the id or slug of `/postback/:network`, `undefined` for the
   * bare `/postback` (the generic format). Refusals are thrown as {@link ApiError} (or an adapter's
   * typed error), each naming its guard or parameter.
   *
   * The network is the one in the path; on a bare `/postback` it is the clicked offer's, found by
   * reading and parsing the request with the generic adapter (what is read then is not read again).
   * A postback whose network is not known (unknown network: 404; unknown click: logged
   * `unattributed`) passes unguarded.
   */
  async handle(networkRef: string | undefined, arrived: ArrivedPostback, options: HandleOptions = {}): Promise<PostbackReply> {
    const seen: { network?: Network } = {};
    try {
      return await this.handleGuarded(networkRef, arrived, options, seen);
    } catch (error) {
      // Every refused request is a row of the postback log (the console's test tool shows its own refusals).
      // Not awaited: the refusal is answered at once, its row follows with the next refusal batch.
      if (!options.test) void this.refusals.refusedBy(error, this.refusedContext(arrived, seen.network));
      throw error;
    }
  }

  private refusedContext(arrived: ArrivedPostback, network: Network | undefined): RefusedContext {
    const header = arrived.headers['content-type'];
    return {
      channel: 's2s',
      method: arrived.method,
      path: arrived.path,
      query: arrived.query,
      rawBody: arrived.rawBody,
      contentType: typeof header === 'string' ? header : undefined,
      ip: arrived.ip,
      networkId: network?.id,
      personalData: network ? this.registry.adapter(network.adapter)?.personalData : undefined,
    };
  }

  private async handleGuarded(
    networkRef: string | undefined,
    arrived: ArrivedPostback,
    options: HandleOptions,
    seen: { network?: Network },
  ): Promise<PostbackReply> {
    const generic = networkRef === undefined ? await this.readGeneric(arrived) : undefined;
    const network = networkRef === undefined ? generic?.clickContext?.network : await this.networks.findByRef(networkRef);
    seen.network = network ?? undefined;
    const pass = network ? await this.guards.check(network, arrived) : {};
    let reply: PostbackReply;
    try {
      reply = await this.process(networkRef, network ?? undefined, arrived, generic, options);
    } catch (error) {
      await pass.forget?.();
      throw error;
    }
    // Only a booked postback may make its identical signed copy a replay (see GuardPass.forget).
    if (!bookedBy(arrived.method, reply.status)) await pass.forget?.();
    return reply;
  }

  /** Reads a bare `/postback` with the strict limits and the generic adapter, and loads the click it names. */
  private async readGeneric(arrived: ArrivedPostback): Promise<GenericPostback> {
    const read = readPostbackRequest(arrived, STRICT_LIMITS);
    const parsed = await this.runAdapter(this.requireAdapter('generic'), read.request, {});
    const first = isIgnoredEvent(parsed) ? undefined : parsed[0];
    if (!first?.clickId) return { read, parsed };
    // Loaded with everything the recorder needs of the click, and handed on to it (see ClickContextLoader).
    const clickContext = await this.clickContexts.load(cutText(first.clickId, 128), first.goal ?? '');
    return { read, parsed, clickContext };
  }

  private async process(
    networkRef: string | undefined,
    network: Network | undefined,
    arrived: ArrivedPostback,
    generic: GenericPostback | undefined,
    options: HandleOptions,
  ): Promise<PostbackReply> {
    let adapter: AnyAdapter;
    let config: ConfigOf<ConfigSchema> = {};
    let networkId: string | undefined;
    if (generic) {
      adapter = this.requireAdapter('generic');
    } else {
      if (!network) throw new ApiError('unknown_network', `No network with id or slug "${(networkRef ?? '').slice(0, 64)}".`);
      adapter = this.requireAdapter(network.adapter);
      // Secret settings are opened only here, for the adapter run (see AdapterSecrets).
      const checked = checkConfig(adapter.configSchema, await this.adapterSecrets.configFor(network));
      if (!checked.ok) throw new ApiError('adapter_misconfigured', `Network "${network.slug}" has an invalid adapter config: ${checked.errors.join('; ')}`);
      config = checked.value;
      networkId = network.id;
    }
    const { request, logged: loggedParams } = generic?.read ?? readPostbackRequest(arrived, limitsOf(adapter));
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
    // Forwarding targets (Meta, Google, TikTok) match on the buyer's email and phone: only their digests go on.
    const personalHashes = personalDigestsOf(loggedParams);
    const base = { channel: 's2s' as const, networkId, params, ip: request.ip, receivedAt: new Date(), ...(options.test ? { test: options.test } : {}) };
    const parsed = generic?.parsed ?? (await this.runAdapter(adapter, request, config));
    if (isIgnoredEvent(parsed)) {
      // Networks retry refusals and some switch the URL off over them; an event type we do not use is
      // acknowledged, and logged so that it can be seen.
      const result = await this.intake.logOnly({ ...base, outcome: 'ignored', reason: `unsupported_event:${safeLogValue(parsed.event, 64)}` });
      return this.reply(adapter, [result]);
    }
    const postbacks = parsed;
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
        country: buyerCountry(postback),
      };
      // A genuine sale that did not come through a tracked link is kept with its txid and amounts.
      if (!postback.clickId) return this.intake.logOnly({ ...base, ...event, outcome: 'unattributed', reason: 'no_click_id' });
      return this.intake.record({ ...base, ...event, clickId: cutText(postback.clickId, 128), context: generic?.clickContext, personalHashes });
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

  private requireAdapter(id: string): AnyAdapter {
    const adapter = this.registry.adapter(id);
    if (!adapter) throw new ApiError('adapter_not_installed', `The network adapter "${id}" is not installed on this tracker.`);
    return adapter;
  }

  /** Runs an adapter; an adapter that throws anything but its typed errors has met input it did not expect: a 400, not a 500. */
  private async runAdapter(adapter: AnyAdapter, request: AdapterRequest, config: ConfigOf<ConfigSchema>): Promise<ParseResult> {
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

  private reply(adapter: AnyAdapter, results: RecordResult[]): PostbackReply {
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
