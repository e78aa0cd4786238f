import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { SigningSecretRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG, type RedisClient } from '@postwire/runtime';
import {
  checkParams,
  DEFAULT_TOLERANCE_SEC,
  RedisReplayStore,
  replayTtlSec,
  SecretBox,
  verifyGetSignature,
  verifyWebhook,
  type SignatureCheck,
} from '@postwire/security';
import type { ArrivedPostback } from '../http/postback-request';
import { GUARD_REDIS } from './guard-redis';

/** Why a signed request was refused; `error` is what the sender gets, `reason` what the log says. */
export type SignatureVerdict =
  { ok: true; forget?: () => Promise<void> } | { ok: false; error: 'bad_signature' | 'stale_timestamp' | 'replayed'; reason: string };

/**
 * Checks a postback against the network's active signing secrets: GET with `ts` + `sig` over the
 * canonical string, POST with the Standard Webhooks headers over the raw body. A correctly signed
 * request is then remembered in Redis for the whole timestamp window, so the same request is refused
 * as a replay by every tracker process sharing that Redis.
 */
@Injectable()
export class SignatureVerifier {
  private readonly logger = new Logger('SignatureVerifier');
  private readonly replays: RedisReplayStore;
  private warnedAt = 0;

  constructor(
    private readonly secrets: SigningSecretRepository,
    private readonly box: SecretBox,
    @Inject(GUARD_REDIS) redis: RedisClient,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    this.replays = new RedisReplayStore(redis, `${config.queuePrefix}:replay:`);
  }

  async verify(networkId: string, req: ArrivedPostback): Promise<SignatureVerdict> {
    const secrets = (await this.secrets.activeSealed(networkId)).map((sealed) => this.box.open(sealed));
    if (secrets.length === 0) return { ok: false, error: 'bad_signature', reason: 'no_active_secret' };
    const check = req.method === 'POST' ? this.checkPost(req, secrets) : this.checkGet(req, secrets);
    if (!check.ok) return { ok: false, error: check.reason === 'stale_timestamp' ? 'stale_timestamp' : 'bad_signature', reason: check.reason };
    // Remembered only now: unverified requests must not be able to fill Redis. The key is the
    // signature the verifier computed, so re-encoding the sent one cannot dodge it.
    const first = await this.replays.remember(check.signature, replayTtlSec(DEFAULT_TOLERANCE_SEC)).catch((error: unknown) => {
      this.warn(error);
      return true;
    });
    if (!first) return { ok: false, error: 'replayed', reason: 'replayed' };
    return { ok: true, forget: () => this.replays.forget(check.signature).catch((error: unknown) => this.warn(error)) };
  }

  private checkGet(req: ArrivedPostback, secrets: string[]): SignatureCheck | { ok: false; reason: string } {
    const params = checkParams(req.query);
    // A repeated parameter, a control character or an over-long value cannot be in anything a sender signed.
    if (!params.ok) return { ok: false, reason: 'bad_signature' };
    // HEAD is answered by the GET route; it signs as GET.
    return verifyGetSignature({ method: 'GET', path: req.path, query: params.params, secrets });
  }

  private checkPost(req: ArrivedPostback, secrets: string[]): SignatureCheck | { ok: false; reason: string } {
    // Standard Webhooks signs the body only. A query parameter next to it could change the postback
    // (the generic format reads both), so anything but the API key in the URL is refused.
    const unsigned = Object.keys(req.query).filter((name) => name !== 'key');
    if (unsigned.length) return { ok: false, reason: 'unsigned_query_parameter' };
    return verifyWebhook({ headers: req.headers, rawBody: req.rawBody, secrets: secrets.filter(isWebhookSecret) });
  }

  private warn(error: unknown): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`replay guard not enforced, Redis did not answer: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** Secrets made by this API are all `whsec_…`; one set by hand in the database may not be, and must not break POST checks. */
function isWebhookSecret(secret: string): boolean {
  return /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/.test(secret);
}
