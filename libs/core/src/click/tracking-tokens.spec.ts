import { buildCampaignLink, CLICK_ID_PLACEHOLDER, COST_PLACEHOLDER, subLabels, tokenListProblem, type TrackingToken } from './tracking-tokens';

const base = { publicUrl: 'https://t.example', campaignId: 'abc', externalIdParam: 'external_id', costParam: 'cost', costModel: 'none' };
const zone: TrackingToken = { target: 'sub1', macro: '{zoneid}', label: 'zone' };
const clickId: TrackingToken = { target: 'external_id', macro: '{clickid}', label: 'click id' };
const cost: TrackingToken = { target: 'cost', macro: '{cost}', label: 'cost' };

describe('buildCampaignLink', () => {
  it('puts the click id first in the campaign’s own parameter, then the subs in order, macros as written', () => {
    const link = buildCampaignLink({
      ...base,
      externalIdParam: 'cid',
      tokens: [{ target: 'sub3', macro: '[CREATIVE_ID]', label: 'creative' }, zone, { ...clickId, macro: '${SUBID}' }],
    });
    expect(link).toEqual({ url: 'https://t.example/c/abc?cid=${SUBID}&sub1={zoneid}&sub3=[CREATIVE_ID]', warnings: [] });
  });

  it('leaves out the cost token unless the campaign takes its cost from the link', () => {
    expect(buildCampaignLink({ ...base, tokens: [clickId, cost] }).url).toBe('https://t.example/c/abc?external_id={clickid}');
    expect(buildCampaignLink({ ...base, costModel: 'cpc', tokens: [clickId, cost] }).url).not.toContain('cost=');
  });

  it('gives an auto-cost campaign its cost parameter, named as the campaign says', () => {
    const link = buildCampaignLink({ ...base, costModel: 'auto', costParam: 'price', tokens: [clickId, cost, zone] });
    expect(link).toEqual({ url: 'https://t.example/c/abc?external_id={clickid}&price={cost}&sub1={zoneid}', warnings: [] });
  });

  it('warns, with a placeholder in the link, when the click id is unmapped', () => {
    const link = buildCampaignLink({ ...base, tokens: [zone] });
    expect(link.url).toBe(`https://t.example/c/abc?external_id=${CLICK_ID_PLACEHOLDER}&sub1={zoneid}`);
    expect(link.warnings).toEqual([{ token: 'external_id', message: expect.stringContaining('click-id') }]);
  });

  it('warns when an auto-cost campaign’s source has no cost token, and only then', () => {
    const auto = buildCampaignLink({ ...base, costModel: 'auto', tokens: [clickId] });
    expect(auto.url).toBe(`https://t.example/c/abc?external_id={clickid}&cost=${COST_PLACEHOLDER}`);
    expect(auto.warnings.map((w) => w.token)).toEqual(['cost']);
    expect(buildCampaignLink({ ...base, costModel: 'cpa', tokens: [clickId] }).warnings).toEqual([]);
    expect(buildCampaignLink({ ...base, costModel: 'auto', tokens: [] }).warnings.map((w) => w.token)).toEqual(['external_id', 'cost']);
  });
});

describe('tokenListProblem', () => {
  it('refuses a second token for one target, naming the later one', () => {
    expect(tokenListProblem([zone, clickId, { ...zone, macro: '{other}' }])).toEqual({ index: 2, field: 'target', message: expect.any(String) });
  });

  it('refuses macros that would break the query', () => {
    for (const macro of ['{a}&b', '{a}#', 'a=b', '{a b}']) expect(tokenListProblem([{ ...zone, macro }])?.field).toBe('macro');
  });

  it('accepts every target once, in the syntax of each source', () => {
    expect(
      tokenListProblem([clickId, cost, zone, { target: 'sub2', macro: '{{ad.id}}', label: 'ad' }, { target: 'sub10', macro: '__CID__', label: 'ad' }]),
    ).toBeUndefined();
  });
});

describe('subLabels', () => {
  it('labels a sub filled by one source', () => {
    expect(subLabels([[clickId, zone]])).toEqual({ sub1: 'zone' });
  });

  it('keeps a label the sources agree on (case aside) and drops one they disagree on', () => {
    const a = [zone, { target: 'sub2', macro: '{site}', label: 'site' } as const];
    const b = [{ ...zone, macro: '[ZONE]', label: 'Zone' }, { target: 'sub2', macro: '{creative}', label: 'creative' } as const];
    expect(subLabels([a, b])).toEqual({ sub1: 'zone' });
  });

  it('ignores sources that do not fill the sub, and never labels the click id or cost', () => {
    expect(subLabels([[zone], [clickId, cost], []])).toEqual({ sub1: 'zone' });
    expect(subLabels([])).toEqual({});
  });
});
