import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCampaignLink, CONVERSION_STATUSES, fillUrlMacros, tokenListProblem } from '@postwire/core';
import plugin from './index';
import { PRESETS, mgid, propellerads, taboola, trafficstars } from './presets';

/** The macros Postwire fills in an outbound postback URL. */
const POSTWIRE_MACROS = ['external_id', 'payout', 'status', 'txid', 'goal', 'currency'];

const macrosIn = (template: string) => [...template.matchAll(/\{([a-z0-9_]+)\}/gi)].map((m) => m[1]);

describe('traffic-source presets', () => {
  it('offers at least twelve presets with unique lower-case ids', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('is what the plugin exports, with no adapters', () => {
    expect(plugin.presets).toEqual(PRESETS);
    expect(plugin.adapters).toBeUndefined();
  });

  const withPostback = PRESETS.filter((p) => p.postbackUrlTemplate !== undefined).map((p) => [p.id, p as typeof p & { postbackUrlTemplate: string }] as const);

  describe.each(withPostback)('%s postback', (_id, preset) => {
    it('has an absolute https template with {external_id} exactly once, as a query value', () => {
      const url = new URL(preset.postbackUrlTemplate);
      expect(url.protocol).toBe('https:');
      expect(macrosIn(preset.postbackUrlTemplate).filter((m) => m === 'external_id')).toHaveLength(1);
      expect([...url.searchParams.values()]).toContain('{external_id}');
      expect(preset.postbackUrlTemplate).not.toMatch(/\s/);
    });

    it('uses only macros Postwire fills, so nothing reaches the source unreplaced', () => {
      for (const macro of macrosIn(preset.postbackUrlTemplate)) expect(POSTWIRE_MACROS).toContain(macro);
    });

    it('names no query parameter twice', () => {
      const names = [...new URL(preset.postbackUrlTemplate).searchParams.keys()];
      expect(new Set(names).size).toBe(names.length);
    });

    it('fills into a URL that carries the click id and keeps the host', () => {
      const filled = fillUrlMacros(preset.postbackUrlTemplate, {
        external_id: 'ts-click/1&x=2',
        payout: '1.5',
        status: preset.statusMap.approved,
        txid: 'T1',
        goal: 'sale',
        currency: 'USD',
      });
      const url = new URL(filled);
      expect(url.host).toBe(new URL(preset.postbackUrlTemplate).host);
      expect([...url.searchParams.values()]).toContain('ts-click/1&x=2');
      expect(filled).not.toMatch(/[{}]/);
    });

    it('maps every Postwire status to a non-empty, URL-safe word', () => {
      expect(Object.keys(preset.statusMap).sort()).toEqual([...CONVERSION_STATUSES].sort());
      for (const word of Object.values(preset.statusMap)) expect(word).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    it('marks per-account values in capitals, and the README and the preset explain each', () => {
      const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
      const placeholders = preset.postbackUrlTemplate.match(/YOUR_[A-Z_]+/g) ?? [];
      for (const placeholder of placeholders) {
        expect(readme).toContain(placeholder);
        expect(preset.values?.[placeholder]?.description).toEqual(expect.any(String));
      }
      expect(Object.keys(preset.values ?? {}).sort()).toEqual([...placeholders].sort());
    });
  });

  describe.each(PRESETS.map((p) => [p.id, p] as const))('%s', (_id, preset) => {
    it("names the source's own click-id macro, not one of Postwire's", () => {
      expect(preset.clickIdMacro).toMatch(/^(\$?\{{1,2}[A-Za-z_.]+\}{1,2}|\[[A-Z_]+\]|__[A-Z_]+__)$/);
      expect(POSTWIRE_MACROS.map((m) => `{${m}}`)).not.toContain(preset.clickIdMacro);
    });

    it('cites https references that the README lists too', () => {
      const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
      for (const ref of [preset.reference, preset.tokensReference].filter((r): r is string => r !== undefined)) {
        expect(new URL(ref).protocol).toBe('https:');
        expect(readme).toContain(ref);
      }
    });

    it('carries its tokens: the click id first and equal to clickIdMacro, one token per target, labels in words', () => {
      const tokens = preset.tokens ?? [];
      expect(tokens[0]).toEqual({ target: 'external_id', macro: preset.clickIdMacro, label: 'click id' });
      expect(tokenListProblem(tokens)).toBeUndefined();
      for (const token of tokens) expect(token.label).toMatch(/^[a-z][a-z ]{1,39}$/);
    });

    it('builds a campaign link that carries every token in its parameter, with no warning for the click id', () => {
      const link = buildCampaignLink({
        publicUrl: 'https://t.example',
        campaignId: 'c1',
        externalIdParam: 'external_id',
        costParam: 'cost',
        costModel: 'auto',
        tokens: preset.tokens ?? [],
      });
      expect(link.url.startsWith(`https://t.example/c/c1?external_id=${preset.clickIdMacro}`)).toBe(true);
      for (const token of preset.tokens ?? []) expect(link.url).toContain(`=${token.macro}`);
      expect(link.warnings.map((w) => w.token)).toEqual(preset.tokens?.some((t) => t.target === 'cost') ? [] : ['cost']);
    });
  });

  it('sends MGID the event name as the status word plus the campaign suffix, letters and digits only', () => {
    expect(new URL(mgid.postbackUrlTemplate!).searchParams.get('e')).toBe('{status}YOUR_EVENT_SUFFIX');
    const pattern = new RegExp(`^(?:${mgid.values!.YOUR_EVENT_SUFFIX.pattern})$`);
    expect(pattern.test('123456')).toBe(true);
    expect(pattern.test('buy123')).toBe(true);
    for (const bad of ['', '12 34', '12&e=x', 'über']) expect(pattern.test(bad)).toBe(false);
    // MGID's own words for the outcomes it knows: pending, approved, rejected.
    expect(new Set(Object.values(mgid.statusMap))).toEqual(new Set(['pending', 'approved', 'rejected']));
  });

  it('keeps the parameter names the sources insist on', () => {
    // Taboola: "The Click ID param must be named click-id, exactly as shown."
    expect(new URL(taboola.postbackUrlTemplate!).searchParams.get('click-id')).toBe('{external_id}');
    expect(new URL(mgid.postbackUrlTemplate!).searchParams.get('c')).toBe('{external_id}');
    expect(new URL(trafficstars.postbackUrlTemplate!).searchParams.get('clickid')).toBe('{external_id}');
    expect(new URL(propellerads.postbackUrlTemplate!).searchParams.get('visitor_id')).toBe('{external_id}');
  });
});
