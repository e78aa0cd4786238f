import { Injectable, Logger } from '@nestjs/common';
import { cutText } from '@postwire/core';
import { CANONICAL_PARAMS, isAdapterError, canonicalFrom, pickAlias } from '@postwire/plugin-sdk';
import type { RecordResult } from '@postwire/persistence';
import { safeLogValue } from '@postwire/security';
import { ConversionIntake } from '../conversions';
import { RateLimits } from '../guards/rate-limits';
import { RefusalLog, type RefusedContext } from '../postback-log';

/** The pixel answers its GIF whatever happens; a refused hit is logged with that answer. */
const PIXEL_STATUS = 200;

/**
 * The client-side half of hybrid tracking. A pixel makes a provisional conversion (source
 * `pixel`) or confirms an S2S one; the attribution engine keeps S2S authoritative. The pixel
 * must answer its GIF whatever happens, so every failure here ends in the postback log or the
 * app log, never in the response.
 */
@Injectable()
export class PixelService {
  private readonly logger = new Logger(PixelService.name);

  constructor(
    private readonly intake: ConversionIntake,
    private readonly limits: RateLimits,
    private readonly refusals: RefusalLog,
  ) {}

  async record(params: Record<string, string>, cookieClickId: string | undefined, ip: string): Promise<RecordResult | undefined> {
    try {
      const pick = (field: keyof typeof CANONICAL_PARAMS) => pickAlias(params, CANONICAL_PARAMS[field]);
      const clickId = pick('clickId') ?? cookieClickId;
      if (!clickId) return undefined;
      // Beyond the click's budget the GIF is answered and nothing recorded (RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN).
      if (!(await this.limits.consumePixelClick(cutText(clickId, 128))).ok) {
        void this.refusals.refused(this.refusedContext(params, ip), { errorCode: 'rate_limited', httpStatus: PIXEL_STATUS });
        return undefined;
      }
      const canonical = canonicalFrom({
        clickId,
        goal: pick('goal'),
        txid: pick('txid'),
        payout: pick('payout'),
        revenue: pick('revenue'),
        currency: pick('currency'),
        status: pick('status'),
      });
      const result = await this.intake.record({
        channel: 'pixel',
        clickId: cutText(clickId, 128),
        goal: canonical.goal,
        txid: canonical.txid,
        status: canonical.status,
        payout: canonical.payout,
        revenue: canonical.revenue,
        currency: canonical.currency,
        params: { ...params, ...(cookieClickId ? { _cookie_click_id: cookieClickId } : {}) },
        ip,
        receivedAt: new Date(),
      });
      if (result.reason === 'txid_conflict')
        this.logger.warn(`pixel refused: txid_conflict click=${safeLogValue(clickId, 64)} ip=${safeLogValue(ip, 64)} postback=${result.postbackId}`);
      return result;
    } catch (error) {
      if (!isAdapterError(error)) this.logger.warn(`pixel not recorded: ${(error as Error).message}`);
      else {
        const param = (error as { param?: unknown }).param;
        void this.refusals.refused(this.refusedContext(params, ip), {
          errorCode: error.code,
          httpStatus: PIXEL_STATUS,
          ...(typeof param === 'string' ? { param } : {}),
        });
      }
      return undefined;
    }
  }

  private refusedContext(params: Record<string, string>, ip: string): RefusedContext {
    return { channel: 'pixel', method: 'GET', path: '/pixel.gif', query: params, ip };
  }
}
