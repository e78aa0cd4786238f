/** What the load process is told to do. */
export type LoadSpec = {
  url: string;
  connections: number;
  /** Fixed number of requests (exact accounting), else a duration. */
  amount?: number;
  durationSec?: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
} & (
  | {
      kind: 'static';
      path: string;
      /** Request headers (e.g. a User-Agent for the enrichment scenario). */
      headers?: Record<string, string>;
      /** Each request from an address of its own (X-Forwarded-For counts up from 10.0.0.1; the tracker must trust loopback as a proxy). */
      distinctForwardedFor?: boolean;
      /** Keep every redirect's click id and write them to `clickIdsOut` (verification passes only: it costs the load process CPU). */
      collectClickIds?: boolean;
      clickIdsOut?: string;
      clickIdParam?: string;
    }
  | {
      kind: 'postbacks';
      /** `/postback` or a baseline's equivalent path. */
      pathPrefix: string;
      /** A file with one click id per line (request i uses line `offset + i`), or ids made up as `synthetic + i` for baselines that look nothing up. */
      clickIds: { file: string } | { synthetic: string };
      offset: number;
      txidPrefix: string;
      /** Appended to every request's query as is (`&country=US`). */
      extraQuery?: string;
    }
);

export interface LoadResult {
  completed: number;
  elapsedSec: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Postback loads: the first id index this run did not use (it may have built requests it never sent). */
  nextOffset: number;
}
