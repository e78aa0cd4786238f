import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { renderDelivery, sampleDeliveryValues } from '@postwire/core';
import { HttpSender, maskUrl, signatureHeaders } from '@postwire/forwarding';
import { DeliveryRepository, TrafficSourceRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { createGuardedConnector, IpAllowlist, SecretBox } from '@postwire/security';
import { Agent } from 'undici';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { testDeliverySchema } from './test-delivery-schemas';
import { testDeliveryView } from './traffic-source-views';

/**
 * "Send test delivery": one request to the traffic source, rendered exactly as a real delivery with
 * the source's current settings (URL, method, body format, status words, payout share, headers,
 * signature), every macro filled with a sample value (see sampleDeliveryValues). `dryRun` renders it
 * only, so the console shows the final URL before sending. A sent test is logged in the delivery
 * log, marked test, with its one attempt; the answer is the source's own status, an excerpt of its
 * body and the latency, so an operator sees whether the source accepts it.
 */
@Controller('api/traffic-sources')
@UseGuards(AdminAuthGuard)
export class TestDeliveryController {
  private readonly sender: HttpSender;

  constructor(
    private readonly sources: TrafficSourceRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly box: SecretBox,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {
    const allow = config.forwarding.allowCidrs.length ? new IpAllowlist(config.forwarding.allowCidrs) : undefined;
    // The same outbound address guard as the worker: a test must not reach what a delivery may not.
    this.sender = new HttpSender({
      timeoutMs: config.forwarding.timeoutMs,
      dispatcher: new Agent({ connect: createGuardedConnector(allow, { timeout: config.forwarding.timeoutMs }) }),
    });
  }

  @Post(':id/test-delivery')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Send a test delivery to the traffic source and show its real answer',
    body: testDeliverySchema,
    responseDescription: '{ok, statusCode, responseExcerpt, latencyMs, error, request}',
    response: testDeliveryView,
  })
  async send(@Param('id') id: string, @Valid('body') input: z.output<typeof testDeliverySchema>) {
    const source = await this.sources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    const deliveryId = randomUUID();
    const values = sampleDeliveryValues(source.postbackUrl, { ...input, conversionId: deliveryId });
    const rendered = renderDelivery(source, values);
    const sealed = await this.sources.activeSealedSecrets(source.id);
    const request = { method: rendered.method, url: maskUrl(rendered.url), body: rendered.body, signed: sealed.length > 0 };
    if (input.dryRun) return { ok: true, dryRun: true, deliveryId: null, request, statusCode: null, latencyMs: 0, responseExcerpt: null, error: null };
    const headers: Record<string, string> = {
      ...rendered.headers,
      'user-agent': 'Postwire/0.1 (+test delivery)',
      'idempotency-key': deliveryId,
      'x-postwire-test': '1',
    };
    if (sealed.length) {
      const secrets = sealed.map((s) => this.box.open(s));
      Object.assign(headers, signatureHeaders(secrets, { id: deliveryId, ...rendered }, Math.floor(Date.now() / 1000)));
    }
    const result = await this.sender.send({ ...rendered, headers, timeoutMs: source.timeoutMs ?? this.config.forwarding.timeoutMs });
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    await this.deliveries.recordTest({
      id: deliveryId,
      trafficSourceId: source.id,
      ...rendered,
      macroValues: values,
      attempt: { url: request.url, statusCode: result.statusCode, latencyMs: result.latencyMs, responseSnippet: result.responseSnippet, error: result.error },
    });
    return {
      ok,
      dryRun: false,
      deliveryId,
      request,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseExcerpt: result.responseSnippet,
      error: result.error,
    };
  }
}
