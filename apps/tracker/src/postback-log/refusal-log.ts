import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { refusalReasonOf, type Channel } from '@postwire/core';
import { isSensitiveName, MASK } from '@postwire/forwarding';
import { PostbackRecorder } from '@postwire/persistence';
import { CANONICAL_PARAMS, withoutPersonalData } from '@postwire/plugin-sdk';
import { describeError } from '../http/error.filter';
import { GUARD_QUERY_PARAMS } from '../http/postback-request';

/** What is known of a refused request besides the error it was answered with. */
export interface RefusedContext {
  channel: Channel;
  method: string;
  /** The path without its query string. */
  path: string;
  query: Record<string, unknown>;
  rawBody?: Buffer;
  contentType?: string;
  ip: string;
  /** The network of `/postback/:network`, when the path names a known one. */
  networkId?: string;
  /** The personal-data patterns of the network's adapter (NetworkAdapter.personalData). */
  personalData?: readonly RegExp[];
}

/** Longest body kept as text when it is neither JSON nor a form. */
const MAX_RAW_BODY_TEXT = 512;

/**
 * Writes a refused postback or pixel request to the postback log (outcome `refused`), with the
 * reason derived from the error it was answered with, and its parameters with credentials masked
 * and the adapter's personal data removed. Never throws, and callers do not await it: a refusal is
 * answered at once and its row follows with the next batch of refusals (PostbackRecorder.recordRefusal).
 */
@Injectable()
export class RefusalLog {
  private readonly logger = new Logger('RefusalLog');

  constructor(private readonly recorder: PostbackRecorder) {}

  /** Logs a request answered by `error` (anything the ErrorFilter answers). */
  async refusedBy(error: unknown, context: RefusedContext): Promise<void> {
    const [status, body] = describeError(error);
    await this.refused(context, { errorCode: body.error, httpStatus: status, param: body.param });
  }

  /** Logs a refused request with its answer given explicitly (the rate-limit hook, the pixel, which answers its GIF anyway). */
  async refused(context: RefusedContext, answer: { errorCode: string; httpStatus: number; param?: string }): Promise<void> {
    try {
      const params = withoutPersonalData(maskedParams(context), context.personalData);
      const clickId = CANONICAL_PARAMS.clickId.map((name) => context.query[name]).find((v): v is string => typeof v === 'string' && v !== '');
      await this.recorder.recordRefusal({
        channel: context.channel,
        receivedAt: new Date(),
        networkId: context.networkId ?? null,
        clickId: clickId ? clickId.slice(0, 128) : null,
        params,
        ip: context.ip,
        reasonCode: refusalReasonOf(answer.errorCode, answer.httpStatus, answer.param),
        detail: answer.param ? `${answer.errorCode}:${answer.param}` : answer.errorCode,
        httpStatus: answer.httpStatus,
        method: context.method,
        path: context.path,
      });
    } catch (error) {
      this.logger.warn(`refusal not logged: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

/** Routes whose refused requests are rows of the postback log. */
const POSTBACK_ROUTE = /^\/(?:postback(?:\/[^/?]*)?|pixel\.gif)(?:\?|$)/;

/** What a request hook (rate limit, input guard) answered a request it refused. */
export interface HookAnswer {
  errorCode: string;
  httpStatus: number;
  param?: string;
}

/**
 * The listener of the request hooks that refuse before any route runs (installPublicTrafficHook's
 * per-address rate limit, installInputGuard): a postback or pixel request they refused is logged.
 * Not awaited either; the write is bounded per address and minute.
 */
export function logHookRefusals(refusals: RefusalLog, ipOf: (req: FastifyRequest) => string): (req: FastifyRequest, answer: HookAnswer) => void {
  return (req, answer) => {
    if (!POSTBACK_ROUTE.test(req.url)) return;
    const path = req.url.split('?')[0];
    const query = (req.query ?? {}) as Record<string, unknown>;
    void refusals.refused({ channel: path === '/pixel.gif' ? 'pixel' : 's2s', method: req.method, path, query, ip: ipOf(req) }, answer);
  };
}

/** The query and body as they may be stored: credential-like names (and the guards' key, ts, sig) masked. */
function maskedParams(context: RefusedContext): Record<string, unknown> {
  const masked: Record<string, unknown> = mask(context.query);
  const body = readBody(context.rawBody, context.contentType);
  if (body !== undefined) masked.body = body;
  return masked;
}

function mask(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      storable(name),
      isSensitiveName(name) || GUARD_QUERY_PARAMS.includes(name) ? MASK : storableValue(value, 0),
    ]),
  );
}

/** Deepest nesting kept of a refused request's parameters; deeper values are summarised. */
const MAX_DEPTH = 4;

/** A value jsonb can store: a refused request may hold what PostgreSQL refuses (NUL, lone surrogates), and one such row must not fail its batch. */
function storableValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return storable(value);
  if (value === null || typeof value !== 'object') return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => storableValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [storable(k), storableValue(v, depth + 1)]));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storable(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').split(String.fromCharCode(0)).join('\uFFFD');
}

function readBody(raw: Buffer | undefined, contentType: string | undefined): unknown {
  if (!raw?.length) return undefined;
  const text = raw.toString('utf8');
  if (/json/i.test(contentType ?? '')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? mask(parsed as Record<string, unknown>) : parsed;
    } catch {
      // Not JSON after all: kept as text below.
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType ?? '')) return mask(Object.fromEntries(new URLSearchParams(text)));
  return text.length > MAX_RAW_BODY_TEXT ? `${text.slice(0, MAX_RAW_BODY_TEXT)}… (${raw.length} bytes)` : text;
}
