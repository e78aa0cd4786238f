import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const BURST_IP = '203.0.113.50';

type Signal = { code: string; fired: boolean; value: string; threshold: string; weight: number; measured?: number };
type Trace = { fraud: { verdict: string; score: number; signals: Signal[] } | null };

/**
 * Velocity and duplicate signals end to end, on the built app with the shared Redis: a burst of clicks
 * from one address (X-Forwarded-For, from a trusted loopback proxy), then conversions of several of
 * those clicks. Each conversion's trace shows the conversion velocity and the duplicate signals with
 * what was counted and the threshold; a conversion from another address shows them not fired.
 */
describe('fraud: velocity and duplicates', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;

  beforeAll(async () => {
    receiver = await Receiver.start();
    // Its own QUEUE_PREFIX (PostwireProcess): the counters of this run are its own.
    app = await PostwireProcess.start({ database: 'postgres', env: { TRUST_PROXY: '127.0.0.1/32' } });
    setup = await setUpCampaign(app, receiver.url);
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  async function click(ip: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-${ip}`, {
      redirect: 'manual',
      headers: { 'user-agent': CHROME, 'x-forwarded-for': ip },
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('cid')!;
  }

  async function convert(clickId: string, txid: string): Promise<Signal[]> {
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&txid=${txid}&payout=3`);
    expect(postback.body.status).toBe('accepted');
    const trace = await app.api<Trace>('GET', `/api/conversions/${postback.body.conversion_id}/trace`);
    expect(trace.status).toBe(200);
    return trace.body.fraud!.signals;
  }

  it('refuses a bad velocity threshold with a 400 naming it', async () => {
    const path = `/api/fraud/campaigns/${setup.campaignId}/policy`;
    const zero = await app.api<{ error: string; param: string }>('PUT', path, { velocity: { ipClicksPerMinute: 0 } });
    expect(zero).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'velocity.ipClicksPerMinute' } });
    const unknown = await app.api<{ param: string }>('PUT', path, { duplicates: { ipConversionsPerWeek: 2 } });
    expect(unknown.status).toBe(400);
    const subParam = await app.api<{ param: string }>('PUT', path, { velocity: { subParams: ['sub11'] } });
    expect(subParam).toMatchObject({ status: 400, body: { param: 'velocity.subParams.0' } });
  });

  it('shows conversion velocity and duplicate reasons, with value and threshold, after a burst of clicks and conversions from one IP', async () => {
    const set = await app.api<{ effective: { velocity: Record<string, unknown>; duplicates: Record<string, unknown> } }>(
      'PUT',
      `/api/fraud/campaigns/${setup.campaignId}/policy`,
      { velocity: { ipClicksPerMinute: 20, ipConversionsPerHour: 3 } },
    );
    expect(set.status).toBe(200);
    // A group names only what it changes; the rest keeps its default.
    expect(set.body.effective.velocity).toMatchObject({ ipClicksPerMinute: 20, ipUaClicksPerMinute: 30, ipConversionsPerHour: 3 });
    expect(set.body.effective.duplicates).toEqual({ ipConversionsPerDay: 3, deviceConversionsPerDay: 1 });

    const clicks: string[] = [];
    for (let i = 0; i < 25; i++) clicks.push(await click(BURST_IP));

    const first = await convert(clicks[0], 'vel-1');
    expect(first.find((s) => s.code === 'ip_conversion_velocity')).toEqual({
      code: 'ip_conversion_velocity',
      fired: false,
      value: '1 conversions in 1 h',
      threshold: 'max 3 in 1 h',
      weight: 40,
      measured: 1,
    });
    expect(first.find((s) => s.code === 'duplicate_device_conversion')).toMatchObject({ fired: false, measured: 1 });

    // The same click's second postback is the same conversion: nothing is counted again.
    await getJson(`${app.url}/postback?click_id=${clicks[0]}&txid=vel-1&payout=3`);
    for (let i = 1; i < 4; i++) await convert(clicks[i], `vel-${i + 1}`);
    const fifth = await convert(clicks[4], 'vel-5');
    expect(fifth.find((s) => s.code === 'ip_conversion_velocity')).toEqual({
      code: 'ip_conversion_velocity',
      fired: true,
      value: '5 conversions in 1 h',
      threshold: 'max 3 in 1 h',
      weight: 40,
      measured: 5,
    });
    expect(fifth.find((s) => s.code === 'duplicate_ip_conversion')).toEqual({
      code: 'duplicate_ip_conversion',
      fired: true,
      value: '5 converting clicks from this IP in 24 h',
      threshold: 'max 3 in 24 h',
      weight: 30,
      measured: 5,
    });
    expect(fifth.find((s) => s.code === 'duplicate_device_conversion')).toMatchObject({
      fired: true,
      value: '5 converting clicks from this device in 24 h',
      threshold: 'max 1 in 24 h',
      measured: 5,
    });
  });

  it('does not fire for a conversion from another address', async () => {
    const signals = await convert(await click('198.51.100.77'), 'other-1');
    for (const code of ['ip_conversion_velocity', 'duplicate_ip_conversion', 'duplicate_device_conversion'])
      expect(signals.find((s) => s.code === code)).toMatchObject({ fired: false, measured: 1 });
  });

  it("shows as a campaign's effective policy its own over its offer's, the velocity group per threshold", async () => {
    const offerPath = `/api/fraud/offers/${setup.offerId}/policy`;
    expect(
      (await app.api('PUT', offerPath, { velocity: { ipClicksPerMinute: 99, ipUaClicksPerMinute: 7 }, duplicates: { ipConversionsPerDay: 9 } })).status,
    ).toBe(200);
    const campaign = await app.api<{ stored: unknown; effective: { velocity: Record<string, unknown>; duplicates: Record<string, unknown> } }>(
      'PUT',
      `/api/fraud/campaigns/${setup.campaignId}/policy`,
      { velocity: { ipClicksPerMinute: 20 } },
    );
    expect(campaign.body.stored).toEqual({ velocity: { ipClicksPerMinute: 20 } });
    // The campaign's one threshold over the offer's others (not the offer's group replaced whole), then the defaults.
    expect(campaign.body.effective.velocity).toMatchObject({ ipClicksPerMinute: 20, ipUaClicksPerMinute: 7, ipConversionsPerHour: 10 });
    expect(campaign.body.effective.duplicates).toEqual({ ipConversionsPerDay: 9, deviceConversionsPerDay: 1 });
    const read = await app.api<{ effective: { velocity: Record<string, unknown> } }>('GET', `/api/fraud/campaigns/${setup.campaignId}/policy`);
    expect(read.body.effective.velocity).toMatchObject({ ipClicksPerMinute: 20, ipUaClicksPerMinute: 7 });
    await app.api('PUT', offerPath, {});
  });
});
