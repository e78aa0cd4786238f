import { randomUUID } from 'node:crypto';
import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CANONICAL_PARAMS } from '@postwire/plugin-sdk';
import { NetworkRepository } from '@postwire/persistence';
import type { FastifyInstance } from 'fastify';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { PluginRegistry } from '../plugins/plugin-registry';
import { testPostbackSchema } from './test-postback-schemas';
import { testPostbackView } from './network-views';

/** Placeholder host: the request never leaves the process, only its path and query matter. */
const LOCAL = 'http://postwire.test';

/**
 * "Send test postback", as Everflow's test-postback tool: the postback URL the network was given,
 * its macros filled with a test conversion, is sent through this tracker's own `/postback/:network`
 * route in-process. So it meets that network's guards, adapter and attribution exactly as the
 * network's own request would, and the answer says which of them let it through. With a real click
 * id it makes a real conversion (and its deliveries): that is the point of the test.
 */
@Controller('api/networks')
@UseGuards(AdminAuthGuard)
export class TestPostbackController {
  constructor(
    private readonly networks: NetworkRepository,
    private readonly registry: PluginRegistry,
    private readonly http: HttpAdapterHost,
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
    const app = this.http.httpAdapter.getInstance<FastifyInstance>();
    const answer = await app.inject({ method, url: path, headers: { 'user-agent': 'Postwire test postback' } });
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
    };
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
