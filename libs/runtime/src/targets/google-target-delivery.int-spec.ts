import { createHash, randomBytes } from 'node:crypto';
import { newClickId } from '@postwire/core';
import { DeliveryProcessor, HttpSender } from '@postwire/forwarding';
import {
  CampaignRepository,
  ClickRepository,
  DeliveryRepository,
  ForwardingTargetRepository,
  NetworkRepository,
  OfferRepository,
  PostbackRecorder,
  TrafficSourceRepository,
} from '@postwire/persistence';
import { personalDigestsOf } from '@postwire/plugin-sdk';
import { SecretBox } from '@postwire/security';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from '../../../persistence/src/test-support/databases';
import { Receiver, type ReceivedRequest } from '../../../../test/support/receiver';
import { sendTargetRequest } from '../../../../test/support/target-http';
import { PluginRegistry } from './plugin-registry';
import { TargetRuntime } from './target-runtime';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The Google Ads target through the real recorder, runtime and processor on both drivers, against a fake Google
 * (OAuth token endpoint and API) on loopback: the buyer's email and phone reach Google hashed with Google's
 * normalisation (gmail dots removed, E.164 with its `+`), not Meta's, though only digests were stored; and a token
 * exchange that fails before anything is sent is recorded as an attempt and judged by its verdict.
 */
describe.each(BOTH_DRIVERS)('Google Ads target deliveries on %s', (driver) => {
  let db: TestDatabase;
  let google: Receiver;
  let sender: HttpSender;
  let processor: DeliveryProcessor;
  let recorder: PostbackRecorder;
  let offerId: string;
  const box = SecretBox.fromEnv(randomBytes(32).toString('hex'));

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    google = await Receiver.start();
    recorder = new PostbackRecorder(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    offerId = (await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2.5' })).id;
    sender = new HttpSender({ timeoutMs: 2000 });
    const runtime = new TargetRuntime(
      PluginRegistry.load(),
      new ForwardingTargetRepository(db.client),
      (s) => box.open(s),
      (req) => sendTargetRequest(req, 2000),
    );
    processor = new DeliveryProcessor(new DeliveryRepository(db.client), sender, {
      scheduleMs: [0, 1000, 1000],
      timeoutMs: 2000,
      openSecret: (s) => box.open(s),
      targets: runtime,
    });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await google?.close();
    await db?.drop();
  });

  /** Google answers the token exchange with `token` and every API call with success. */
  function googleAnswers(token: (req: ReceivedRequest) => { status: number; body?: string }) {
    google.requests.length = 0;
    google.respondWith((req) => {
      if (new URL(req.url, 'http://google').pathname === '/token') return token(req);
      return { status: 200, body: JSON.stringify({ results: [{ orderId: 'x' }] }), headers: { 'content-type': 'application/json' } };
    });
  }

  /** A Google-target source (its own refresh token, so no token is cached across tests), a click with a gclid, a postback with email and phone. */
  async function conversion() {
    const source = await new TrafficSourceRepository(db.client).create({
      name: `G ${randomBytes(3).toString('hex')}`,
      postbackUrl: 'https://unused.example/pb',
    });
    await new ForwardingTargetRepository(db.client).setSourceTarget(source.id, {
      targetId: 'google-ads',
      config: {
        customerId: '123-456-7890',
        conversionAction: '987654',
        developerToken: box.seal('dev-token'),
        clientId: 'client.apps.googleusercontent.com',
        clientSecret: box.seal('client-secret'),
        refreshToken: box.seal(`refresh-${randomBytes(4).toString('hex')}`),
        apiBaseUrl: google.url,
        tokenUrl: `${google.url}/token`,
      },
      mapping: [],
    });
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId });
    const clickId = newClickId();
    await new ClickRepository(db.client).insertMany([
      {
        id: clickId,
        campaignId: campaign.id,
        subs: {},
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (int)',
        createdAt: new Date(),
        adIds: { gclid: 'Cj0KCQjw-int' },
      },
    ]);
    // What the postback service stores: the digests of the postback's personal fields, computed while it is in memory.
    const personalHashes = personalDigestsOf({ email: ' John.Smith@GMail.com ', phone: '+49 30 1234567' });
    const result = await recorder.record({ channel: 's2s', clickId, params: {}, receivedAt: new Date(), status: 'approved', payout: '12.5', personalHashes });
    return result.deliveryIds[0];
  }

  const row = async (id: string) =>
    (
      await db.client.query<Record<string, unknown>>(
        `SELECT d.status, d.alert, d.target_id, d.personal_hashes,
                (SELECT count(*)::int FROM delivery_attempts a WHERE a.delivery_id = d.id) AS attempts,
                (SELECT a.error FROM delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1) AS attempt_error
         FROM deliveries d WHERE d.id = $1`,
        [id],
      )
    ).rows[0];

  it("sends Google the digests of Google's normalisation: dotless gmail, E.164 phone with its +", async () => {
    googleAnswers(() => ({ status: 200, body: JSON.stringify({ access_token: 'ya29.int', expires_in: 3599 }) }));
    const deliveryId = await conversion();
    expect(await processor.process(deliveryId)).toEqual({ kind: 'delivered' });
    const upload = google.requests.find((r) => r.url.includes(':uploadClickConversions'))!;
    expect(upload.headers.authorization).toBe('Bearer ya29.int');
    const sent = JSON.parse(upload.body) as { conversions: Array<{ userIdentifiers: unknown[] }> };
    expect(sent.conversions[0].userIdentifiers).toEqual([{ hashedEmail: sha256('johnsmith@gmail.com') }, { hashedPhoneNumber: sha256('+49301234567') }]);
    // Stored: digests only, one per normalisation, never the raw values.
    const stored = await row(deliveryId);
    expect(JSON.stringify(stored.personal_hashes)).not.toMatch(/john|gmail|1234567\b/i);
  });

  it('gives up at once with an alert when Google refuses the refresh token, and records the attempt without sending', async () => {
    googleAnswers(() => ({ status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }) }));
    const deliveryId = await conversion();
    expect(await processor.process(deliveryId)).toMatchObject({ kind: 'dead', reason: expect.stringMatching(/invalid_grant/) });
    expect(google.requests.filter((r) => !r.url.endsWith('/token'))).toEqual([]);
    expect(await row(deliveryId)).toMatchObject({
      status: 'dead',
      alert: true,
      target_id: 'google-ads',
      attempts: 1,
      attempt_error: expect.stringMatching(/refused the OAuth credentials/),
    });
  });

  it('retries on the schedule when the token endpoint is down', async () => {
    googleAnswers(() => ({ status: 503, body: 'unavailable' }));
    const deliveryId = await conversion();
    expect(await processor.process(deliveryId)).toMatchObject({ kind: 'retry' });
    expect(await row(deliveryId)).toMatchObject({ status: 'pending', alert: false, attempts: 1, attempt_error: expect.stringMatching(/HTTP 503/) });
  });
});
