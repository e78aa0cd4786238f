import { SimpleGrid } from '@mantine/core';
import { errorFor, LinesField } from './fields';
import type { FraudPolicyInput, PolicySectionProps } from './section-props';

type BlockedSubs = NonNullable<FraudPolicyInput['blockedSubs']>;

/** `sub2=zone-666` lines from the per-parameter lists, and back (a line without `=` is kept whole as a value of `sub1`'s slot, for the server to name). */
const subLines = (subs: BlockedSubs) => subs.flatMap((s) => s.values.map((v) => `${s.param}=${v}`));
function subsOf(lines: string[]): BlockedSubs {
  const byParam = new Map<string, string[]>();
  for (const line of lines) {
    const at = line.indexOf('=');
    const param = at < 0 ? line : line.slice(0, at).trim();
    const value = at < 0 ? '' : line.slice(at + 1).trim();
    byParam.set(param, [...(byParam.get(param) ?? []), value]);
  }
  return [...byParam].map(([param, values]) => ({ param: param as BlockedSubs[number]['param'], values }));
}

/** The operator's lists: blocked addresses, user-agent patterns, sub-id values, and extra hosting networks. */
export function ListsSection({ policy, onChange, errors }: PolicySectionProps) {
  const subs = policy.blockedSubs ?? [];
  const subsError = Object.keys(errors).find((k) => k.startsWith('blockedSubs'));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <LinesField
        label="Blocked IPs and CIDR ranges"
        description="One per line: 203.0.113.7, 198.51.100.0/24, 2001:db8::/32"
        lines={policy.blockedIps ?? []}
        onLines={(blockedIps) => onChange({ blockedIps })}
        error={errorFor(errors, 'blockedIps', policy.blockedIps)}
      />
      <LinesField
        label="Blocked user-agent patterns"
        description="One RE2 pattern per line, case-insensitive: ^curl/, python-requests"
        lines={policy.blockedUserAgents ?? []}
        onLines={(blockedUserAgents) => onChange({ blockedUserAgents })}
        error={errorFor(errors, 'blockedUserAgents', policy.blockedUserAgents)}
      />
      <LinesField
        label="Blocked sub-id values"
        description="One per line as parameter=value: sub2=zone-666"
        lines={subLines(subs)}
        onLines={(lines) => onChange({ blockedSubs: subsOf(lines) })}
        error={subsError ? `${subsError.replace(/^blockedSubs\.?/, 'Entry ')}: ${errors[subsError]}` : undefined}
      />
      <LinesField
        label="Extra hosting ASNs"
        description="One AS number per line (AS prefix optional), treated as datacenter networks"
        lines={(policy.extraHostingAsns ?? []).map(String)}
        onLines={(lines) => onChange({ extraHostingAsns: lines.map((l) => Number(l.replace(/^AS/i, ''))) })}
        error={errorFor(errors, 'extraHostingAsns', policy.extraHostingAsns)}
      />
    </SimpleGrid>
  );
}
