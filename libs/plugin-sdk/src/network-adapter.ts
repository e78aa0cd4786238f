import type { PostbackOutcome as RecordedOutcome } from '@postwire/core';
import type { AdapterLimits, AnswerContract } from './adapter-contract';
import type { AdapterRequest } from './adapter-request';
import type { AdapterResponse } from './adapter-response';
import type { CanonicalPostback } from './canonical-postback';
import type { ConfigOf, ConfigSchema } from './config-schema';

// Declared in its own file so adapter-contract.ts can name it without importing this one (no cycle).
export type { AdapterResponse } from './adapter-response';

/** What Postwire did with a postback, handed to {@link NetworkAdapter.respond}. */
export interface PostbackOutcome {
  /** One result per canonical postback the adapter produced (empty for test pings). */
  /** `status`: `accepted`, `duplicate`, `updated`, `ignored`, `rejected` or `unattributed` (see the postback log). */
  results: Array<{ status: RecordedOutcome; conversionId?: string; reason?: string }>;
}

/** The network record an adapter is attached to, as far as URL templates need it. */
export interface NetworkRef {
  id: string;
  slug: string;
}

/**
 * A network adapter turns one affiliate network's postback dialect into canonical postbacks.
 * One adapter can serve several network records, each with its own config.
 */
export interface NetworkAdapter<S extends ConfigSchema = ConfigSchema> {
  /** Stable id, lower-case, used in `adapter` fields and plugin folders (e.g. `clickbank`). */
  readonly id: string;
  /** Human name shown in the admin API. */
  readonly displayName: string;
  /** HTTP methods the network uses to call us. */
  readonly methods: ReadonlyArray<'GET' | 'POST'>;
  /** Body media types accepted on POST (e.g. `application/json`, `application/x-www-form-urlencoded`). */
  readonly contentTypes?: readonly string[];
  /**
   * What the network really sends (field count, value length, body size, line breaks), applied on
   * this adapter's route. Without it the generic endpoint's strict limits apply ({@link STRICT_LIMITS}).
   */
  readonly limits?: AdapterLimits;
  /** What the network must hear back in the cases networks differ on (see {@link AnswerContract}). */
  readonly answers?: AnswerContract;
  /**
   * Names of the request's parameters that carry the buyer's personal data (name, e-mail, address,
   * phone). The postback log keeps these parameters with their values replaced by
   * {@link PERSONAL_DATA_REMOVED}, so an operator still sees what the network sent but the tracker
   * keeps no customer records it does not need. Matched against top-level query and body field names.
   */
  readonly personalData?: readonly RegExp[];
  /** The settings an admin gives when attaching this adapter to a network. */
  readonly configSchema: S;
  /**
   * Checks the network's own signature or decrypts its body. Throw {@link BadSignatureError}
   * when it does not check out. Runs before {@link parse}.
   */
  verify?(request: AdapterRequest, config: ConfigOf<S>): void | Promise<void>;
  /**
   * Turns the request into zero or more canonical postbacks (zero for a test ping the network
   * sends when you save the URL). Throw {@link UnsupportedEventError} for an event type the adapter
   * does not know (it is acknowledged and logged `ignored`, never refused: networks retry refusals)
   * and {@link BadParameterError} only for input that cannot be read at all.
   */
  parse(request: AdapterRequest, config: ConfigOf<S>): CanonicalPostback[] | Promise<CanonicalPostback[]>;
  /**
   * The body the network expects back, for every postback Postwire recorded, whatever became of it
   * (also `ignored` and `unattributed`). Without it Postwire answers its standard JSON.
   */
  respond?(outcome: PostbackOutcome): AdapterResponse;
  /** The exact URL, with the network's own macros, that a user pastes into the network's UI. */
  postbackUrlTemplate(trackerUrl: string, network: NetworkRef): string;
}

/** Identity helper that gives an adapter literal its types (config typed from its schema). */
export function defineAdapter<S extends ConfigSchema>(adapter: NetworkAdapter<S>): NetworkAdapter<S> {
  return adapter;
}
