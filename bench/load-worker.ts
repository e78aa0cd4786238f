/**
 * The load generator, always run as its own process (forked by bench/lib/load.ts) so the process
 * under test never shares an event loop or a core's worth of scheduling with autocannon.
 * It receives one LoadSpec over IPC, runs it, and answers with one LoadResult.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { LoadResult, LoadSpec } from './lib/load-types';

// autocannon ships no types; this is the part of its API the bench uses.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: unknown, headers: Record<string, string>) => void;
}
interface AutocannonHistogram {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  average: number;
}
interface AutocannonResult {
  latency: AutocannonHistogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  requests: { sent: number };
}
interface AutocannonInstance {
  on(event: 'response', listener: () => void): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = require('autocannon') as Autocannon;

function requestsFor(spec: LoadSpec, locations: string[], cursor: { next: number }): AutocannonRequest[] {
  if (spec.kind === 'static') {
    const request: AutocannonRequest = { method: 'GET', path: spec.path, ...(spec.headers ? { headers: spec.headers } : {}) };
    if (spec.distinctForwardedFor) {
      request.setupRequest = (req) => {
        const i = cursor.next++ + 1;
        req.headers = { ...spec.headers, 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
        return req;
      };
    }
    if (spec.collectClickIds) {
      request.onResponse = (_status, _body, _context, headers) => {
        const location = headers.location;
        if (location) locations.push(location);
      };
    }
    return [request];
  }
  // Postbacks: one fresh click and one fresh txid per request, so every request is a new conversion.
  const source = spec.clickIds;
  const ids = 'file' in source ? readFileSync(source.file, 'utf8').split('\n').filter(Boolean) : undefined;
  cursor.next = spec.offset;
  return [
    {
      method: 'GET',
      setupRequest: (req) => {
        const i = cursor.next++;
        if (ids && i >= ids.length) throw new Error(`postback load ran out of clicks after ${ids.length - spec.offset}; pre-create more`);
        const clickId = ids ? ids[i] : `${(source as { synthetic: string }).synthetic}${i}`;
        req.path = `${spec.pathPrefix}?click_id=${clickId}&txid=${spec.txidPrefix}-${i}&amount=1.50${spec.extraQuery ?? ''}`;
        return req;
      },
    },
  ];
}

function run(spec: LoadSpec): Promise<LoadResult> {
  const locations: string[] = [];
  const cursor = { next: 0 };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastResponse = started;
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSec }),
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        timeout: 10,
        requests: requestsFor(spec, locations, cursor),
      },
      (error, result) => {
        if (error) return reject(error);
        // autocannon reports its duration rounded up to its one-second sampling tick; the time to
        // the last response is the honest denominator for a fixed-amount run.
        const elapsedSec = (lastResponse - started) / 1000;
        const statusCounts: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCounts[code] = stat.count;
        const completed = Object.values(statusCounts).reduce((a, b) => a + b, 0);
        if (spec.kind === 'static' && spec.collectClickIds && spec.clickIdsOut) {
          const param = spec.clickIdParam ?? 'cid';
          const ids = locations.map((l) => new URL(l).searchParams.get(param) ?? '').filter(Boolean);
          writeFileSync(spec.clickIdsOut, ids.join('\n') + '\n');
        }
        resolve({
          completed,
          elapsedSec,
          rps: elapsedSec > 0 ? completed / elapsedSec : 0,
          latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
          statusCounts,
          errors: result.errors,
          timeouts: result.timeouts,
          nextOffset: cursor.next,
        });
      },
    );
    instance.on('response', () => {
      lastResponse = performance.now();
    });
  });
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: Error) => process.send?.({ ok: false, error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
