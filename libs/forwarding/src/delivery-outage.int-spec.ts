import { newClickId } from '@postwire/core';
import {
  CampaignRepository,
  ClickRepository,
  DeliveryRepository,
  isDatabaseUnavailable,
  migrate,
  NetworkRepository,
  OfferRepository,
  PostbackRecorder,
  PostgresClient,
  TrafficSourceRepository,
} from '@postwire/persistence';
import { waitUntil } from '../../../test/support/wait-until';
import { PostgresServer } from '../../../test/support/postgres-server';
import { Receiver } from '../../../test/support/receiver';
import { DeliveryProcessor } from './delivery-processor';
import { HttpSender } from './http-sender';

/**
 * PostgreSQL dies (kill -9) while a delivery is on the wire: the attempt cannot be logged until it
 * is back. The processor keeps trying to log it rather than giving up, since a delivery whose
 * attempt is never logged is sent again once its claim runs out.
 */
describe('a delivery sent while PostgreSQL restarts', () => {
  let server: PostgresServer;
  let db: PostgresClient;
  let receiver: Receiver;
  let sender: HttpSender;

  beforeAll(async () => {
    server = await PostgresServer.start();
    db = new PostgresClient({ connectionString: await server.createDatabase('outage_forwarding'), max: 4 });
    await migrate(db);
    receiver = await Receiver.start();
    sender = new HttpSender({ timeoutMs: 5000 });
  }, 60_000);

  afterAll(async () => {
    await sender?.close();
    await receiver?.close();
    await db?.close();
    await server?.dispose();
  });

  it('is logged once the database is back, and sent once; the store being away is reported while it waits', async () => {
    const network = await new NetworkRepository(db).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2.5' });
    const source = await new TrafficSourceRepository(db).create({ name: 'S', postbackUrl: `${receiver.url}/pb?c={click_id}`, method: 'GET' });
    const campaign = await new CampaignRepository(db).create({ name: 'C', trafficSourceId: source.id, offerId: offer.id });
    const clickId = newClickId();
    await new ClickRepository(db).insertMany([{ id: clickId, campaignId: campaign.id, subs: {}, createdAt: new Date() }]);
    const { deliveryIds } = await new PostbackRecorder(db).record({ channel: 's2s', clickId, params: {}, receivedAt: new Date() });
    expect(deliveryIds).toHaveLength(1);

    const toldAway: unknown[] = [];
    const processor = new DeliveryProcessor(new DeliveryRepository(db), sender, {
      scheduleMs: [0, 100],
      timeoutMs: 5000,
      openSecret: (s) => s,
      isStoreUnavailable: isDatabaseUnavailable,
      storeRetryDelaysMs: { first: 50, max: 200 },
      onStoreUnavailable: (error) => toldAway.push(error),
    });
    // The receiver answers after the database is gone.
    receiver.respondWith(() => ({ status: 200, body: 'ok', delayMs: 800 }));
    const outcome = processor.process(deliveryIds[0]);
    await waitUntil(() => receiver.requests.length === 1, 10_000, 'the delivery to be sent');
    await server.kill();
    await new Promise((r) => setTimeout(r, 1500));
    await server.up();

    expect(await outcome).toEqual({ kind: 'delivered' });
    // Each failed try to log it told the worker the store was away (it pauses on the first).
    expect(toldAway.length).toBeGreaterThan(0);
    expect(toldAway.every(isDatabaseUnavailable)).toBe(true);
    expect(receiver.idempotencyKeys.get(deliveryIds[0])).toBe(1);
    const { rows } = await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM deliveries WHERE id = $1', [deliveryIds[0]]);
    expect(rows).toEqual([{ status: 'delivered', attempts: 1 }]);
  }, 60_000);
});
