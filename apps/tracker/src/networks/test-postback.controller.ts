import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Logger, Param, Post, UseGuards } from '@nestjs/common';
import { CANONICAL_PARAMS } from '@postwire/plugin-sdk';
import { NetworkRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { describeError } from '../http/error.filter';
import type { ArrivedPostback } from '../http/postback-request';
import { strictQuerystring } from '../http/querystring';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { PluginRegistry } from '../plugins/plugin-registry';
import { PostbackService, type PostbackReply } from '../postbacks';
import { testPostbackSchema } from './test-postback-schemas';
import { testPostbackView } from './network-views';

/** Placeholder host: the postback never leaves the process, only its path and query matter. */
const LOCAL = 'http://postwire.test';

/** The test postback comes from inside the tracker, so the network's IP allowlist sees the tracker's own loopback address. */
const TEST_POSTBACK_IP = '127.0.0.1';

/**
 * "Send test postback", as Everflow's test-postback tool: the postback URL the network was given,
 * its macros filled with a test conversion, is handed to the same {@link PostbackService} that
 * serves `/postback/:network`. So it meets that network's guards, adapter and attribution exactly as
 * the network's own request would, and the answer says which of them let it through. With a real
 * click id it makes a conversion marked test: it never matches or changes a real conversion, stays
 * out of reports and alerts, and is forwarded to the traffic source only when `forward` is set.
 */
@Controller('api/networks')
@UseGuards(AdminAuthGuard)
export class TestPostbackController {
  private readonly logger = new Logger(TestPostbackController.name);

  constructor(
    private readonly networks: NetworkRepository,
    private readonly registry: PluginRegistry,
    private readonly postbacks: PostbackService,
  ) {}

  @Post(':id/test-postback')
  @HttpCode(200)
  @ApiRoute({
    summary: "Send a test postback through the network's own route, guards and adapter",
    body: testPostbackSchema,
    responseDescription: '{statusCode, outcome, conversionId, reason, guards, request, body}',
    response: testPostbackView,
  })
  async send(@Param('id') id: string, @Valid('body') input: z.output<typeof testPostbackSchema>) {
    const network = await this.networks.get(id);
    if (!network) throw ApiError.notFound('network');
    const adapter = this.registry.adapter(network.adapter);
    if (!adapter) throw new ApiError('adapter_not_installed', `The network adapter "${network.adapter}" is not installed.`);
    const template = new URL(adapter.postbackUrlTemplate(LOCAL, { id: network.id, slug: network.slug }));
    const clickIdParam = typeof network.adapterConfig.clickIdParam === 'string' ? network.adapterConfig.clickIdParam : undefined;
    // Without a click id the test still runs end to end, with one no click has: the answer is `unattributed`.
    const clickId = input.clickId ?? `test-${randomUUID()}`;
    const query = fillTestQuery(template.searchParams, { clickId, payout: input.payout, txid: input.txid ?? `test-${randomUUID().slice(0, 8)}` }, clickIdParam);
    for (const [name, value] of Object.entries(input.params ?? {})) query.set(name, value);
    const path = `${template.pathname}${query.size ? `?${query}` : ''}`;
    const method = adapter.methods.includes('GET') ? 'GET' : 'POST';
    const answer = await this.answer(network.id, input.forward, {
      method,
      path: template.pathname,
      query: strictQuerystring(query.toString()),
      headers: { 'user-agent': 'Postwire test postback' },
      rawBody: Buffer.alloc(0),
      ip: TEST_POSTBACK_IP,
    });
    const parsed = parseJson(answer.body);
    const guardRefusal = answer.statusCode === 401 || answer.statusCode === 403 ? (parsed?.error as string | undefined) : undefined;
    return {
      adapter: adapter.id,
      request: { method, url: path },
      statusCode: answer.statusCode,
      body: answer.body.slice(0, 2048),
      guards: guardRefusal ? { passed: false, refusedBy: guardRefusal, message: parsed?.message ?? null } : { passed: answer.statusCode !== 429 },
      outcome: (parsed?.status as string | undefined) ?? (answer.statusCode >= 400 ? 'refused' : null),
      conversionId: (parsed?.conversion_id as string | undefined) ?? null,
      reason: (parsed?.reason as string | undefined) ?? (parsed?.message as string | undefined) ?? null,
      test: true as const,
      forward: input.forward,
    };
  }

  /** The service's answer, or its refusal as the HTTP route would answer it. */
  private async answer(networkId: string, forward: boolean, postback: ArrivedPostback): Promise<{ statusCode: number; body: string }> {
    try {
      const reply: PostbackReply = await this.postbacks.handle(networkId, postback, { test: { forward } });
      return { statusCode: reply.status, body: reply.body };
    } catch (error) {
      const [status, body] = describeError(error);
      if (status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
      return { statusCode: status, body: JSON.stringify(body) };
    }
  }
}

/**
 * Fills the macros of a postback URL's query with a test conversion: click id, payout and txid
 * under every name the adapters use for them; every other macro is left out (adapters treat an
 * absent value and an unfilled macro alike).
 */
export function fillTestQuery(template: URLSearchParams, values: { clickId: string; payout: string; txid: string }, clickIdParam?: string): URLSearchParams {
  const clickNames = new Set<string>([...CANONICAL_PARAMS.clickId, ...(clickIdParam ? [clickIdParam.toLowerCase()] : [])]);
  const payoutNames = new Set(['payout', 'sum', 'payout_amount']);
  const txidNames = new Set(['txid', 'tid', 'transactionid', 'actionid', 'transaction_id']);
  const query = new URLSearchParams();
  for (const [name, value] of template) {
    const key = name.toLowerCase();
    if (!/^\{[^}]+\}$/.test(value)) query.set(name, value);
    else if (clickNames.has(key)) query.set(name, values.clickId);
    else if (payoutNames.has(key)) query.set(name, values.payout);
    else if (txidNames.has(key) && !clickNames.has(key)) query.set(name, values.txid);
  }
  return query;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
