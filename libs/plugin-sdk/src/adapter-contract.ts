import type { AdapterResponse } from './adapter-response';

/**
 * What a network really sends, so the tracker can size its input checks for the adapter's route
 * (`/postback/:network`). Every limit still exists; they are just the network's, not the generic
 * endpoint's. Name the source of each figure (documentation, captured samples) in the plugin README.
 */
export interface AdapterLimits {
  /** Most parameters in the query string, and most fields in a flat form or JSON body. */
  maxFields: number;
  /** Longest single value, in characters (UTF-16 code units). */
  maxValueLength: number;
  /** Largest body, in bytes. At most {@link ADAPTER_BODY_LIMIT_CEILING}. */
  maxBodyBytes: number;
  /**
   * Whether values may contain CR and LF (addresses, order notes). Every other control
   * character is refused regardless.
   */
  allowLineBreaks: boolean;
}

/**
 * The limits of the generic `/postback` endpoint, and of any adapter that declares none:
 * 64 parameters, 2,048 characters per value, 64 KiB of body, no line breaks.
 */
export const STRICT_LIMITS: Readonly<AdapterLimits> = Object.freeze({ maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false });

/** No adapter may accept a bigger body than this; it is the HTTP server's own cap on adapter routes. */
export const ADAPTER_BODY_LIMIT_CEILING = 1024 * 1024;

/**
 * What the network needs to hear back. The tracker's rules, whatever the adapter:
 *
 * - a postback it recorded (accepted, duplicate, updated, ignored, rejected, unattributed) is
 *   answered with {@link NetworkAdapter.respond} (or Postwire's JSON), status 200 unless `respond`
 *   says otherwise;
 * - an event type the adapter does not know ({@link UnsupportedEventError}) is acknowledged the
 *   same way and logged `ignored` with reason `unsupported_event:<event>`;
 * - only a failed guard or signature (401/403), and a request that cannot be read at all (400),
 *   are refused; refusals store nothing.
 */
export interface AnswerContract {
  /**
   * The answer to the network's check of the URL: a `GET` without any query parameter (Digistore24
   * does this when the IPN URL is saved). Without it such a request is handled like any other
   * (405 for a POST-only adapter).
   */
  endpointCheck?: AdapterResponse;
  /**
   * A notification that passed `verify` and carries a txid but no click id (a sale that did not
   * come through a tracked link): `unattributed` stores it in the postback log with its txid and
   * amounts, for a later reconciliation, and acknowledges it; `refuse` (the default) answers 400
   * naming the click id parameter. A postback with neither click id nor txid is always refused.
   */
  withoutClickId?: 'unattributed' | 'refuse';
}

/** The limits an adapter declares, or {@link STRICT_LIMITS}; each figure capped at a sane ceiling. */
export function limitsOf(adapter: { limits?: Partial<AdapterLimits> }): AdapterLimits {
  const declared = adapter.limits ?? {};
  const pick = (value: unknown, fallback: number, ceiling: number) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? Math.min(value, ceiling) : fallback;
  return {
    maxFields: pick(declared.maxFields, STRICT_LIMITS.maxFields, 4096),
    maxValueLength: pick(declared.maxValueLength, STRICT_LIMITS.maxValueLength, ADAPTER_BODY_LIMIT_CEILING),
    maxBodyBytes: pick(declared.maxBodyBytes, STRICT_LIMITS.maxBodyBytes, ADAPTER_BODY_LIMIT_CEILING),
    allowLineBreaks: declared.allowLineBreaks === true,
  };
}
