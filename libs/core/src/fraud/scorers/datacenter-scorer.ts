import type { SignalScorer } from './signal-scorer';

/** The click's IP on a hosting or cloud network; runs only with the ASN database and an IP. */
export const datacenterScorer: SignalScorer = {
  id: 'datacenter',
  codes: ['datacenter_ip'],
  click(facts, ctx) {
    if (!ctx.asn || !facts.ip) return [];
    const record = ctx.asn.lookup(facts.ip);
    const hosting = record !== undefined && ctx.hosting.has(record.asn);
    return [
      {
        code: 'datacenter_ip',
        fired: hosting,
        value: record ? `AS${record.asn} ${record.organisation}` : `${facts.ip}: no ASN`,
        threshold: 'hosting ASN list',
      },
    ];
  },
};
