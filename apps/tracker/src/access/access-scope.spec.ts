import { clientHiddenFields } from '@postwire/core';
import { campaignFilter, canSeeCampaign, shapedForScope, withoutProfit, type AccessScope } from './access-scope';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const client: AccessScope = {
  via: 'session',
  role: 'client',
  userId: 'u',
  allowedCampaignIds: [A],
  hideProfit: true,
  hiddenFields: clientHiddenFields([]),
  actor: { type: 'user', id: 'u', label: 'client@example.com' },
};
const admin: AccessScope = {
  via: 'api-key',
  role: 'admin',
  userId: null,
  allowedCampaignIds: null,
  hideProfit: false,
  hiddenFields: new Set(),
  actor: { type: 'api_key', id: 'k', label: 'test key' },
};

describe('access scope', () => {
  it('lets a client see only its granted campaigns, and everyone else all', () => {
    expect(canSeeCampaign(client, A)).toBe(true);
    expect(canSeeCampaign(client, A.toUpperCase())).toBe(true);
    expect(canSeeCampaign(client, B)).toBe(false);
    expect(canSeeCampaign(admin, B)).toBe(true);
  });

  it('narrows list filters to the grant, and a request outside it to nothing', () => {
    expect(campaignFilter(admin)).toEqual({ none: false });
    expect(campaignFilter(admin, B)).toEqual({ campaignIds: [B], none: false });
    expect(campaignFilter(client)).toEqual({ campaignIds: [A], none: false });
    expect(campaignFilter(client, B)).toEqual({ none: true });
    expect(campaignFilter({ ...client, allowedCampaignIds: [] })).toEqual({ campaignIds: [], none: true });
  });

  it('removes cost, profit and ROI fields at any depth, and keeps the rest', () => {
    const rows = {
      totals: { clicks: 3, revenue: '5', cost: '2', profit: '3', roi: 150 },
      rows: [{ campaignId: A, costModel: { type: 'cpc' }, roiPercent: 1, payout: '5' }],
    };
    expect(withoutProfit(rows)).toEqual({ totals: { clicks: 3, revenue: '5' }, rows: [{ campaignId: A, payout: '5' }] });
    expect(withoutProfit({ cpa: '1', epc: '2', clicksWithoutCost: 0, costValue: '0.1' })).toEqual({ epc: '2', clicksWithoutCost: 0 });
    const file = new (class StreamLike {
      cost = 1;
    })();
    expect(withoutProfit(file)).toBe(file);
  });

  it("shapes a client's answer: no source, visitor or raw postback fields unless allowed, and everyone else's untouched", () => {
    const trace = {
      click: { id: 'c', ip: '203.0.113.9', userAgent: 'UA', enrichment: { country: 'DE', visitorKey: 'v' } },
      postbacks: [{ id: 'p', outcome: 'accepted', params: { click_id: 'c', secret: 'x' }, canonical: { payout: '1' }, ip: '198.51.100.1' }],
      deliveries: [{ id: 'd', trafficSourceName: 'Push', url: 'https://push.example/pb?key=k', headers: {}, attempts: [{ url: 'u', statusCode: 200 }] }],
      conversion: { id: 'x', payout: '1', cost: '0.5', createdAt: new Date(0) },
    };
    expect(shapedForScope(client, trace)).toEqual({
      click: { id: 'c', enrichment: { country: 'DE' } },
      postbacks: [{ id: 'p', outcome: 'accepted' }],
      deliveries: [{ id: 'd', attempts: [{ statusCode: 200 }] }],
      conversion: { id: 'x', payout: '1', createdAt: new Date(0) },
    });
    const allowed = { ...client, hideProfit: false, hiddenFields: clientHiddenFields(['visitor', 'raw_params']) };
    const shaped = shapedForScope(allowed, trace);
    expect(shaped.click).toEqual(trace.click);
    expect(shaped.postbacks).toEqual(trace.postbacks);
    expect(shaped.deliveries[0]).not.toHaveProperty('trafficSourceName');
    expect(shapedForScope(admin, trace)).toBe(trace);
  });
});
