import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { renderDelivery, sampleDeliveryValues } from '@postwire/core';
import { HttpSender, maskUrl, signatureHeaders, TARGET_ANSWER_BYTES } from '@postwire/forwarding';
import { DeliveryRepository, ForwardingTargetRepository, TrafficSourceRepository, type SourceTarget } from '@postwire/persistence';
import { POSTWIRE_CONFIG, TargetRuntime, testTargetConversion } from '@postwire/runtime';
import { createGuardedConnector, IpAllowlist, SecretBox } from '@postwire/security';
import { Agent } from 'undici';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
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
 *
 * A source that forwards through a target plugin (Meta, Google Ads, TikTok) gets the target's own request for
 * a made-up conversion marked test, built and judged by the same runtime as the worker's deliveries: the
 * platform's test mode where it has one, "not sent" with the reason where it would count the test as real.
 */
@Controller('api/traffic-sources')
@UseGuards(AdminAuthGuard)
export class TestDeliveryController {
  private readonly sender: HttpSender;
  private readonly targets: TargetRuntime;

  constructor(
    private readonly sources: TrafficSourceRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly box: SecretBox,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    private readonly sourceTargets: ForwardingTargetRepository,
    registry: PluginRegistry,
  ) {
    const allow = config.forwarding.allowCidrs.length ? new IpAllowlist(config.forwarding.allowCidrs) : undefined;
    // The same outbound address guard as the worker: a test must not reach what a delivery may not.
    this.sender = new HttpSender({
      timeoutMs: config.forwarding.timeoutMs,
      dispatcher: new Agent({ connect: createGuardedConnector(allow, { timeout: config.forwarding.timeoutMs }) }),
    });
    // Side calls (an OAuth token exchange) go through the same guarded client, as in the worker.
    this.targets = new TargetRuntime(
      registry,
      sourceTargets,
      (sealed) => box.open(sealed),
      async (request) => {
        const r = await this.sender.send({ ...request, maxAnswerBytes: TARGET_ANSWER_BYTES });
        return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.answer ?? r.responseSnippet, error: r.error };
      },
    );
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
    const target = await this.sourceTargets.sourceTarget(source.id);
    if (target && target.targetId !== 'postback-url') return this.sendToTarget(source.id, target, deliveryId, input);
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

  /** The test through the source's target plugin: its request for a made-up test conversion, sent, and its reading of the answer. */
  private async sendToTarget(sourceId: string, target: SourceTarget, deliveryId: string, input: z.output<typeof testDeliverySchema>) {
    const conversion = testTargetConversion(sourceId, target, { conversionId: deliveryId, ...input }, new Date());
    const prepared = await this.targets.test(conversion);
    const idle = { dryRun: input.dryRun, deliveryId: null, statusCode: null, latencyMs: 0, responseExcerpt: null };
    if (prepared.kind === 'not_sent') return { ...idle, ok: false, request: null, error: `not sent: ${prepared.reason}` };
    if (prepared.kind === 'failed') return { ...idle, ok: false, request: null, error: prepared.verdict.reason };
    const built = prepared.request;
    const request = { method: built.method, url: maskUrl(built.url), body: built.body, signed: false };
    if (input.dryRun) return { ...idle, ok: true, request, error: null };
    const result = await this.sender.send({
      method: built.method,
      url: built.url,
      body: built.body,
      headers: { 'user-agent': 'Postwire/0.1 (+test delivery)', ...built.headers },
      timeoutMs: this.config.forwarding.timeoutMs,
      maxAnswerBytes: TARGET_ANSWER_BYTES,
    });
    let verdict;
    try {
      verdict = prepared.read({
        statusCode: result.statusCode,
        headers: result.headers ?? {},
        body: result.answer ?? result.responseSnippet,
        error: result.error,
      });
    } catch (error) {
      verdict = { kind: 'permanent' as const, reason: `the target plugin could not read the answer (${(error as Error).message})` };
    }
    const error = verdict.kind === 'delivered' ? null : `${prepared.targetId}: ${verdict.reason}`;
    await this.deliveries.recordTest({
      id: deliveryId,
      trafficSourceId: sourceId,
      method: built.method,
      url: built.url,
      body: built.body,
      headers: built.headers,
      macroValues: {},
      attempt: {
        url: request.url,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        responseSnippet: result.responseSnippet,
        error: error ?? result.error,
      },
    });
    return {
      ok: verdict.kind === 'delivered',
      dryRun: false,
      deliveryId,
      request,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseExcerpt: result.responseSnippet,
      error,
    };
  }
}
