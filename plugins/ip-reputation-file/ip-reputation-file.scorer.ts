import { readFileSync, statSync } from 'node:fs';
import { defineScorer, ipRangeList, type FraudScorerPlugin, type IpRangeList, type ScorerResult } from '@postwire/plugin-sdk';

/** Entries read from one file at most: the list is searched entry by entry, so it stays a list, not a database. */
export const MAX_ENTRIES = 100_000;

const CODE = 'ip-reputation-file:listed' as const;

interface Loaded {
  mtimeMs: number;
  size: number;
  list: IpRangeList;
  labels: ReadonlyMap<string, string>;
  skipped: number;
}

/**
 * Scores a click's IP against an operator-supplied file of addresses and CIDR ranges (one per line, an
 * optional label after a space, `#` comments), for instance an export of a reputation feed the operator
 * licenses. Offline: the file is read from disk, again whenever it changes, so an operator updates it
 * without a restart. No file configured: `not_supported`; a file that cannot be read: `unavailable`.
 */
export function ipReputationFileScorer(options: { path: string | undefined }): FraudScorerPlugin {
  let loaded: Loaded | undefined;

  function current(): Loaded | string {
    const path = options.path!;
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      return `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
    if (loaded && loaded.mtimeMs === stat.mtimeMs && loaded.size === stat.size) return loaded;
    const entries: string[] = [];
    const labels = new Map<string, string>();
    for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) continue;
      if (entries.length >= MAX_ENTRIES) return `${path} has more than ${MAX_ENTRIES} entries`;
      const [entry, ...label] = line.split(/\s+/);
      entries.push(entry);
      if (label.length) labels.set(entry, label.join(' ').slice(0, 80));
    }
    const list = ipRangeList(entries);
    loaded = { mtimeMs: stat.mtimeMs, size: stat.size, list, labels, skipped: list.problems.length };
    return loaded;
  }

  function score(ip: string | null): ScorerResult {
    if (!options.path) return { outcome: 'not_supported' };
    const list = current();
    if (typeof list === 'string') return { outcome: 'unavailable', reason: list };
    if (!ip) return { outcome: 'not_supported' };
    const entry = list.list.match(ip);
    const label = entry ? list.labels.get(entry) : undefined;
    return {
      outcome: 'scored',
      signals: [
        {
          code: CODE,
          fired: entry !== undefined,
          value: entry ? `${ip} in ${entry}${label ? ` (${label})` : ''}` : ip.slice(0, 64),
          threshold: 'operator reputation file',
        },
      ],
    };
  }

  return defineScorer({
    id: 'ip-reputation-file',
    description: "The click's IP against an operator-supplied file of addresses and CIDR ranges (IP_REPUTATION_FILE), re-read when it changes.",
    reasons: [{ code: CODE, defaultWeight: 60, label: "IP on the operator's reputation file" }],
    scoreClick: (click) => score(click.ip),
    scoreConversion: (conversion) => score(conversion.click.ip),
  });
}
