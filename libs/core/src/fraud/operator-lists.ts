import ipaddr from 'ipaddr.js';
import { RE2JS } from 're2js';
import type { SubParam } from '../click/macros';
import { FRAUD_POLICY_LIMITS, type FraudPolicy } from './fraud-policy';

/** A policy's operator lists, parsed once: CIDR ranges, user-agent patterns (RE2: linear time), sub-id sets. */
export interface OperatorLists {
  blockedIp(ip: string | undefined): string | undefined;
  blockedUserAgent(userAgent: string | undefined): string | undefined;
  blockedSub(subs: Readonly<Partial<Record<SubParam, string | null>>>): string | undefined;
}

/** One entry of a list that cannot be used, with the field path a 400 names (`blockedIps.3`). */
export interface ListProblem {
  field: string;
  message: string;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRange(entry: string): Range | undefined {
  try {
    if (entry.includes('/')) {
      const range = ipaddr.parseCIDR(entry);
      // `10.0.0.1/8` means 10.0.0.0/8 to a matcher, but is far more often a typo than an intent: the network must be written out.
      const network = range[0].kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(entry) : ipaddr.IPv6.networkAddressFromCIDR(entry);
      return network.toString() === range[0].toString() ? range : undefined;
    }
    const address = ipaddr.parse(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return undefined;
  }
}

function compilePattern(pattern: string): RE2JS | undefined {
  try {
    return RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch {
    return undefined;
  }
}

/** What is wrong with a policy's lists; empty when they can be compiled. */
export function checkOperatorLists(policy: Pick<FraudPolicy, 'blockedIps' | 'blockedUserAgents'>): ListProblem[] {
  const problems: ListProblem[] = [];
  policy.blockedIps.forEach((entry, i) => {
    if (!parseRange(entry))
      problems.push({ field: `blockedIps.${i}`, message: `${JSON.stringify(entry.slice(0, 64))} is not an IP address or CIDR range (with no host bits set)` });
  });
  policy.blockedUserAgents.forEach((pattern, i) => {
    if (pattern.length > FRAUD_POLICY_LIMITS.userAgentPatternLength)
      problems.push({ field: `blockedUserAgents.${i}`, message: `is longer than ${FRAUD_POLICY_LIMITS.userAgentPatternLength} characters` });
    else if (!compilePattern(pattern))
      problems.push({ field: `blockedUserAgents.${i}`, message: 'is not a valid RE2 pattern (no backreferences or lookarounds)' });
  });
  return problems;
}

function unwrap(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    const address = ipaddr.parse(ip);
    return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
  } catch {
    return undefined;
  }
}

/**
 * Compiles a policy's lists. Entries that do not parse are skipped (the admin API refuses them with
 * {@link checkOperatorLists} before they are stored). User-agent patterns run on RE2JS, whose time is
 * linear in the input, so no pattern can backtrack catastrophically on a crafted user agent.
 */
export function compileOperatorLists(policy: Pick<FraudPolicy, 'blockedIps' | 'blockedUserAgents' | 'blockedSubs'>): OperatorLists {
  const ranges = policy.blockedIps.map((entry) => [entry, parseRange(entry)] as const).filter((r): r is readonly [string, Range] => r[1] !== undefined);
  const patterns = policy.blockedUserAgents.map((p) => [p, compilePattern(p)] as const).filter((p): p is readonly [string, RE2JS] => p[1] !== undefined);
  const subs = policy.blockedSubs.map((s) => [s.param, new Set(s.values)] as const);
  return {
    blockedIp(ip) {
      if (!ip || ranges.length === 0) return undefined;
      const address = unwrap(ip);
      if (!address) return undefined;
      return ranges.find(([, range]) => range[0].kind() === address.kind() && address.match(range))?.[0];
    },
    blockedUserAgent(userAgent) {
      if (!userAgent) return undefined;
      return patterns.find(([, re]) => re.matcher(userAgent).find())?.[0];
    },
    blockedSub(values) {
      for (const [param, set] of subs) {
        const value = values[param];
        if (value != null && set.has(value)) return `${param}=${value}`;
      }
      return undefined;
    },
  };
}
