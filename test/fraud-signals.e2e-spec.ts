import { join } from 'node:path';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
// A UK broadband address: the click's country comes from it (X-Forwarded-For, the tracker trusts the loopback proxy).
const UK_ADDRESS = '81.2.69.142';

type Signal = { code: string; fired: boolean; value: string; threshold: string; weight: number };
type Trace = { fraud: { verdict: string; signals: Signal[] } | null };

/**
 * The geo mismatch signal and the fraud rejection that sticks, end to end on the built app: a postback
 * naming the buyer's country shows `geo_mismatch` in the conversion's trace; a bad country or buyer IP is
 * a 400 naming it; a conversion rejected as fraud stays declined and unforwarded whatever the network sends later.
 */
describe('fraud signals: geo mismatch, rejection sticks', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres', env: { TRUST_PROXY: '127.0.0.1/32' } });
    setup = await setUpCampaign(app, receiver.url);
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  it('reads the shipped IP-to-ASN data from the tables the build compiled, not from the CSV files', () => {
    // The built module, as the app loads it: the compiled file must exist beside it and match the installed data set.
    const built = require(join(__dirname, '..', 'dist', 'libs', 'security', 'src', 'asn-database')) as typeof import('../libs/security/src/asn-database');
    const db = new built.AsnDatabase();
    expect(db.readFrom).toBe('compiled file');
    expect(db.lookup('52.95.110.1')?.asn).toBe(16509);
  });

  async function click(userAgent: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext`, {
      redirect: 'manual',
      headers: { 'user-agent': userAgent, 'x-forwarded-for': UK_ADDRESS },
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('cid')!;
  }
  const signalsOf = async (conversionId: string) => (await app.api<Trace>('GET', `/api/conversions/${conversionId}/trace`)).body.fraud!.signals;

  it("shows geo_mismatch in the trace when the buyer's country is not the click's", async () => {
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${await click(CHROME)}&txid=geo-1&country=us`);
    expect(postback.body.status).toBe('accepted');
    expect((await signalsOf(postback.body.conversion_id)).find((s) => s.code === 'geo_mismatch')).toEqual({
      code: 'geo_mismatch',
      fired: true,
      value: 'click GB, conversion US',
      threshold: 'same country',
      weight: 40,
    });
  });

  it("places the buyer's IP in its country, and does not fire on a match", async () => {
    const postback = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${await click(CHROME)}&txid=geo-2&buyer_ip=${UK_ADDRESS}`);
    expect((await signalsOf(postback.body.conversion_id)).find((s) => s.code === 'geo_mismatch')).toMatchObject({
      fired: false,
      value: 'click GB, conversion GB',
    });
  });

  it('refuses a bad country or buyer IP with a 400 naming it, storing nothing', async () => {
    const clickId = await click(CHROME);
    const country = await getJson<{ error: string; param: string }>(`${app.url}/postback?click_id=${clickId}&txid=geo-3&country=Germany`);
    expect(country).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'country' } });
    const ip = await getJson<{ param: string }>(`${app.url}/postback?click_id=${clickId}&txid=geo-3&buyer_ip=1.2.3.4.5`);
    expect(ip).toMatchObject({ status: 400, body: { param: 'buyer_ip' } });
    const { body } = await app.api<{ items: unknown[] }>('GET', `/api/conversions?clickId=${clickId}`);
    expect(body.items).toEqual([]);
  });

  it('takes geo and conversion-rate settings, filling defaults, and names a bad field in a 400', async () => {
    const path = `/api/fraud/campaigns/${setup.campaignId}/policy`;
    const badCountry = await app.api<{ error: string; param: string }>('PUT', path, { geoMismatch: { sameMarket: [['DE', 'Austria']] } });
    expect(badCountry).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'geoMismatch.sameMarket.0.1' } });
    const noBound = await app.api<{ param: string }>('PUT', path, { conversionRate: { minClicks: 100 } });
    expect(noBound).toMatchObject({ status: 400, body: { param: 'conversionRate.maxRate' } });
    const percent = await app.api<{ param: string }>('PUT', path, { conversionRate: { maxRate: 12.5 } });
    expect(percent).toMatchObject({ status: 400, body: { param: 'conversionRate.maxRate' } });
    const crossed = await app.api<{ param: string }>('PUT', path, { conversionRate: { maxRate: 0.1, minRate: 0.2 } });
    expect(crossed).toMatchObject({ status: 400, body: { param: 'conversionRate.minRate' } });
    const set = await app.api<{ effective: Record<string, unknown> }>('PUT', path, {
      geoMismatch: { sameMarket: [['de', 'at']] },
      conversionRate: { maxRate: 0.2, subParam: 'sub2' },
    });
    expect(set.status).toBe(200);
    expect(set.body.effective).toMatchObject({
      geoMismatch: { sameMarket: [['DE', 'AT']] },
      conversionRate: { maxRate: 0.2, minRate: null, minClicks: 500, subParam: 'sub2', windowDays: 7 },
    });
    expect((await app.api('PUT', path, {})).status).toBe(200);
  });

  it('keeps a conversion rejected as fraud declined and unforwarded when the network approves it later', async () => {
    expect((await app.api('PUT', `/api/fraud/campaigns/${setup.campaignId}/policy`, { action: 'reject', actionScore: 60 })).status).toBe(200);
    const clickId = await click(GOOGLEBOT);
    const first = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&txid=rej-1&status=pending`);
    expect(first.body.status).toBe('accepted');
    const id = first.body.conversion_id;
    expect((await app.api<{ status: string }>('GET', `/api/conversions/${id}`)).body.status).toBe('declined');

    const later = await getJson<{ status: string; reason: string; conversion_id: string }>(
      `${app.url}/postback?click_id=${clickId}&txid=rej-1&status=approved&payout=9`,
    );
    expect(later.body).toEqual({ status: 'ignored', reason: 'fraud_rejected', conversion_id: id });
    expect((await app.api<{ status: string }>('GET', `/api/conversions/${id}`)).body.status).toBe('declined');
    expect(await forwardingSettled(app, { conversionId: id })).toEqual([]);
    expect(receiver.requests.filter((r) => r.query.get('txid') === 'rej-1')).toEqual([]);
  });
});
