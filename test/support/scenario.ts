import type { PostwireProcess } from './postwire-process';

export interface Setup {
  networkId: string;
  offerId: string;
  trafficSourceId: string;
  campaignId: string;
}

/** Creates network → offer → traffic source → campaign through the admin API, as a user would. */
export async function setUpCampaign(
  app: PostwireProcess,
  receiverUrl: string,
  overrides: { postbackPath?: string; method?: 'GET' | 'POST'; networkSlug?: string } = {},
): Promise<Setup> {
  const network = await app.api<{ id: string }>('POST', '/api/networks', {
    name: 'Acme Network',
    adapter: 'generic',
    ...(overrides.networkSlug ? { slug: overrides.networkSlug } : {}),
  });
  expect(network.status).toBe(201);
  const offer = await app.api<{ id: string }>('POST', '/api/offers', {
    name: 'Acme Offer',
    networkId: network.body.id,
    url: 'https://offer.example/land?cid={click_id}&camp={campaign_id}&s1={sub1}',
    payout: '2.50',
  });
  expect(offer.status).toBe(201);
  const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
    name: 'Push Source',
    postbackUrl: `${receiverUrl}${overrides.postbackPath ?? '/pb'}?ext={external_id}&payout={payout}&status={status}&txid={txid}`,
    method: overrides.method ?? 'GET',
  });
  expect(source.status).toBe(201);
  const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Campaign 1', trafficSourceId: source.body.id, offerId: offer.body.id });
  expect(campaign.status).toBe(201);
  return { networkId: network.body.id, offerId: offer.body.id, trafficSourceId: source.body.id, campaignId: campaign.body.id };
}

/** Clicks a campaign link and returns the click id from the redirect. */
export async function click(app: PostwireProcess, campaignId: string, query = 'external_id=ext-123&sub1=banner'): Promise<string> {
  const res = await fetch(`${app.url}/c/${campaignId}?${query}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  const cid = location.searchParams.get('cid');
  expect(cid).toMatch(/^[0-9a-z]{30}$/);
  return cid!;
}

export async function getJson<T = Record<string, unknown>>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}
