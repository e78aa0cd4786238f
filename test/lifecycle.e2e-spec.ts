import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { ConsoleSession } from './support/console-session';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson } from './support/scenario';
import { waitFor } from './support/wait-until';
import { listItems } from './support/paged';

interface Item {
  id: string;
  name: string;
  version: number;
  status: 'active' | 'paused' | 'archived';
  tags: string[];
  archivedAt: string | null;
  pausedAt?: string | null;
}
interface Campaign extends Item {
  offerId: string;
  trafficSourceId: string;
  costModel: string;
  costValue: string | null;
  externalIdParam: string;
  pausedUrl: string | null;
  pausedClicks: number;
  offerPausedAt: string | null;
}
interface AuditPage {
  items: Array<{
    actor: { type: string; id: string | null; label: string | null };
    entityType: string;
    entityId: string;
    action: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  }>;
  total: number;
}
interface Refusal {
  error: string;
  param?: string;
  message: string;
}

const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;

/**
 * The lifecycle of every entity over HTTP (docs/lifecycle.md): edits with versions, pause and resume (a
 * paused campaign's click, a paused source's and network's deliveries), archive and restore, delete and its
 * 409, clone, bulk actions and tags, users and API keys, and the audit log of all of it. One app.
 */
describe('lifecycle', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let dropDb: (() => Promise<void>) | undefined;
  let n = 0;

  // On PostgreSQL: the row locks and transactions the lifecycle relies on, and a faster boot than the embedded database.
  beforeAll(async () => {
    receiver = await Receiver.start();
    const db = await createPostgresDatabase();
    dropDb = db.drop;
    app = await PostwireProcess.start({ env: { FORWARD_RETRY_SCHEDULE: '0,300ms', DATABASE_URL: db.url } });
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await dropDb?.();
  });

  async function created<T = Item>(path: string, body: Record<string, unknown>): Promise<T> {
    const res = await app.api<T>('POST', path, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** A network → offer → source → campaign chain of its own; the source posts to `/<label>` on the receiver. */
  async function chain(label: string) {
    n++;
    const network = await created('/api/networks', { name: `Net ${label}`, adapter: 'generic' });
    const offer = await created('/api/offers', {
      name: `Offer ${label}`,
      networkId: network.id,
      url: `https://offer.example/${label}?cid={click_id}`,
      payout: '2',
    });
    const source = await created('/api/traffic-sources', {
      name: `Source ${label}`,
      postbackUrl: `${receiver.url}/${label}?ext={external_id}&payout={payout}`,
    });
    const campaign = await created<Campaign>('/api/campaigns', { name: `Campaign ${label}`, trafficSourceId: source.id, offerId: offer.id });
    return { network, offer, source, campaign };
  }

  const stateOf = async (path: string) => (await app.api<Item & Campaign>('GET', path)).body;

  it('edits every field of a campaign with its version; a stale version is a 409, a bad field a 400 naming it', async () => {
    const { campaign, network } = await chain('edit');
    const otherOffer = await created('/api/offers', { name: 'Offer edit 2', networkId: network.id, url: 'https://other.example/?cid={click_id}' });
    const otherSource = await created('/api/traffic-sources', { name: 'Source edit 2', postbackUrl: `${receiver.url}/edit2` });
    const edited = await app.api<Campaign>('PATCH', `/api/campaigns/${campaign.id}`, {
      version: campaign.version,
      name: 'Renamed',
      offerId: otherOffer.id,
      trafficSourceId: otherSource.id,
      costModel: 'cpc',
      costValue: '0.10',
      externalIdParam: 'clickid',
      pausedUrl: 'https://fallback.example/paused',
      tags: ['push', 'eu'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Renamed',
      offerId: otherOffer.id,
      trafficSourceId: otherSource.id,
      costModel: 'cpc',
      costValue: '0.1',
      externalIdParam: 'clickid',
      pausedUrl: 'https://fallback.example/paused',
      tags: ['push', 'eu'],
      version: campaign.version + 1,
    });
    // Clicks follow the new offer at once.
    const res = await fetch(`${app.url}/c/${campaign.id}?clickid=x`, { redirect: 'manual' });
    expect(res.headers.get('location')).toMatch(/^https:\/\/other\.example\//);

    const stale = await app.api<Refusal>('PATCH', `/api/campaigns/${campaign.id}`, { version: campaign.version, name: 'Overwrite' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'version_conflict', param: 'version' });
    expect(stale.body.message).toContain(`now at version ${campaign.version + 1}`);
    expect((await stateOf(`/api/campaigns/${campaign.id}`)).name).toBe('Renamed');

    for (const [body, param] of [
      [{ offerId: '00000000-0000-4000-8000-000000000000' }, 'offerId'],
      [{ costModel: 'cpa', costValue: null }, 'costValue'],
      [{ pausedUrl: 'ftp://nope' }, 'pausedUrl'],
      [{ tags: ['a,b'] }, 'tags.0'],
      [{ version: 'one' }, 'version'],
    ] as const) {
      const bad = await app.api<Refusal>('PATCH', `/api/campaigns/${campaign.id}`, body);
      expect([bad.status, bad.body.param]).toEqual([400, param]);
    }
    expect((await stateOf(`/api/campaigns/${campaign.id}`)).version).toBe(campaign.version + 1);
  });

  it('edits networks, offers and traffic sources with their versions', async () => {
    const { network, offer, source } = await chain('entities');
    const net = await app.api<Item>('PATCH', `/api/networks/${network.id}`, { version: network.version, name: 'Net renamed', tags: ['tier1'] });
    expect(net.body).toMatchObject({ name: 'Net renamed', tags: ['tier1'], version: network.version + 1 });
    const off = await app.api<Item & { url: string; payout: string | null }>('PATCH', `/api/offers/${offer.id}`, {
      version: offer.version,
      url: 'https://moved.example/?cid={click_id}',
      payout: null,
    });
    expect(off.body).toMatchObject({ url: 'https://moved.example/?cid={click_id}', payout: null, version: offer.version + 1 });
    expect((await app.api<Refusal>('PATCH', `/api/offers/${offer.id}`, { url: 'not a url' })).body.param).toBe('url');
    const src = await app.api<Item>('PATCH', `/api/traffic-sources/${source.id}`, { version: source.version, name: 'Source renamed' });
    expect(src.body).toMatchObject({ name: 'Source renamed', version: source.version + 1 });
    for (const path of [`/api/networks/${network.id}`, `/api/offers/${offer.id}`, `/api/traffic-sources/${source.id}`]) {
      const stale = await app.api<Refusal>('PATCH', path, { version: 1, name: 'Stale' });
      expect([path, stale.status, stale.body.error]).toEqual([path, 409, 'version_conflict']);
    }
  });

  it("sends a paused campaign's clicks to its fallback URL, stores them as paused and leaves them out of the report", async () => {
    const { campaign } = await chain('paused');
    await click(app, campaign.id);
    const paused = await app.api<Item>('POST', `/api/campaigns/${campaign.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', version: campaign.version + 1 });
    expect(paused.body.pausedAt).not.toBeNull();

    // No fallback of its own and no PAUSED_CAMPAIGN_URL: a 404, the click still stored as paused.
    const nowhere = await getJson<Refusal>(`${app.url}/c/${campaign.id}?external_id=a`);
    expect([nowhere.status, nowhere.body.error]).toEqual([404, 'campaign_paused']);
    const current = await stateOf(`/api/campaigns/${campaign.id}`);
    await app.api('PATCH', `/api/campaigns/${campaign.id}`, { version: current.version, pausedUrl: 'https://fallback.example/sorry?c={campaign_id}' });
    const redirected = await fetch(`${app.url}/c/${campaign.id}?external_id=b`, { redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe(`https://fallback.example/sorry?c=${campaign.id}`);
    expect(redirected.headers.get('set-cookie')).toBeNull();

    expect((await stateOf(`/api/campaigns/${campaign.id}`)).pausedClicks).toBe(2);
    const from = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
    const report = await app.api<{ rows: Array<{ campaign: string; clicks: number }> }>('GET', `/api/reports/stats?from=${from}&to=${to}&groupBy=campaign`);
    expect(report.body.rows.find((r) => r.campaign === campaign.id)?.clicks).toBe(1);

    await app.api('POST', `/api/campaigns/${campaign.id}/resume`);
    await click(app, campaign.id);
    expect((await stateOf(`/api/campaigns/${campaign.id}`)).pausedClicks).toBe(2);
  });

  it("handles a paused offer's clicks as a paused campaign's, still takes their postbacks, and sends clicks on at once on resume", async () => {
    const { offer, campaign } = await chain('offer-paused');
    const before = await click(app, campaign.id);
    const offerBefore = await stateOf(`/api/offers/${offer.id}`);
    const paused = await app.api<Item>('POST', `/api/offers/${offer.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', version: offerBefore.version + 1 });
    expect(paused.body.pausedAt).not.toBeNull();
    expect(await stateOf(`/api/offers/${offer.id}`)).toMatchObject({ status: 'paused', pausedAt: paused.body.pausedAt });
    expect((await app.api<Item[]>('GET', '/api/offers?status=paused')).body.map((o) => o.id)).toContain(offer.id);
    // The campaign keeps its own status; its view says its offer is paused.
    expect(await stateOf(`/api/campaigns/${campaign.id}`)).toMatchObject({ status: 'active', offerPausedAt: paused.body.pausedAt });

    // At once in this process (the click route cache is dropped): the campaign's paused answer, no cookie.
    const nowhere = await getJson<Refusal>(`${app.url}/c/${campaign.id}?external_id=a`);
    expect([nowhere.status, nowhere.body.error]).toEqual([404, 'campaign_paused']);
    const current = await stateOf(`/api/campaigns/${campaign.id}`);
    await app.api('PATCH', `/api/campaigns/${campaign.id}`, { version: current.version, pausedUrl: 'https://fallback.example/offer-off?c={campaign_id}' });
    const redirected = await fetch(`${app.url}/c/${campaign.id}?external_id=b`, { redirect: 'manual' });
    expect([redirected.status, redirected.headers.get('location')]).toEqual([302, `https://fallback.example/offer-off?c=${campaign.id}`]);
    expect(redirected.headers.get('set-cookie')).toBeNull();
    expect((await stateOf(`/api/campaigns/${campaign.id}`)).pausedClicks).toBe(2);

    // The money is real: a postback for a click of the paused offer is recorded.
    const postback = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${before}&payout=3`);
    expect(postback.status).toBe(200);
    expect(postback.body.conversion_id).toMatch(/^[0-9a-f-]{36}$/);

    const trail = await app.api<AuditPage>('GET', `/api/offers/${offer.id}/audit-log`);
    expect(trail.body.items[0]).toMatchObject({ action: 'pause', before: { status: 'active' }, after: { status: 'paused' } });

    const resumed = await app.api<Item>('POST', `/api/offers/${offer.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', pausedAt: null });
    await click(app, campaign.id);
    expect(await stateOf(`/api/campaigns/${campaign.id}`)).toMatchObject({ pausedClicks: 2, offerPausedAt: null });
  });

  it("holds a paused source's and a paused network's deliveries, pending, and sends them on resume", async () => {
    receiver.respondWith(() => ({ status: 200, body: 'ok' }));
    const held = await chain('held-source');
    const heldNet = await chain('held-network');
    const live = await chain('live');
    await app.api('POST', `/api/traffic-sources/${held.source.id}/pause`);
    await app.api('POST', `/api/networks/${heldNet.network.id}/pause`);
    const convert = async (campaignId: string) => {
      const clickId = await click(app, campaignId);
      const res = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=7`);
      expect(res.status).toBe(200);
      return res.body.conversion_id;
    };
    const heldConversion = await convert(held.campaign.id);
    const heldNetConversion = await convert(heldNet.campaign.id);
    await convert(live.campaign.id);
    // The live source's delivery, queued at the same time, went out: the held ones had the same chance.
    await waitFor(
      async () => receiver.requests.filter((r) => r.url.startsWith('/live')).length,
      (count) => count === 1,
      15_000,
      () => 'the live delivery did not arrive',
    );
    const statusOf = async (conversionId: string) => (await listItems<{ status: string }>(app, `/api/deliveries?conversionId=${conversionId}`))[0]?.status;
    expect(await statusOf(heldConversion)).toBe('pending');
    expect(await statusOf(heldNetConversion)).toBe('pending');
    expect(receiver.requests.filter((r) => r.url.startsWith('/held'))).toHaveLength(0);

    await app.api('POST', `/api/traffic-sources/${held.source.id}/resume`);
    await app.api('POST', `/api/networks/${heldNet.network.id}/resume`);
    await waitFor(
      async () => [await statusOf(heldConversion), await statusOf(heldNetConversion)],
      (s) => s.every((x) => x === 'delivered'),
      15_000,
      (last) => `held deliveries are ${last?.join(', ')}`,
    );
    expect(receiver.requests.filter((r) => r.url.startsWith('/held-source')).map((r) => r.query.get('payout'))).toEqual(['7']);
    expect(receiver.requests.filter((r) => r.url.startsWith('/held-network'))).toHaveLength(1);
  });

  it('archives and restores: archived items leave the lists, a filter shows them, new campaigns refuse an archived offer', async () => {
    const { offer, source, campaign } = await chain('archive');
    const archived = await app.api<Item>('POST', `/api/offers/${offer.id}/archive`);
    expect(archived.body.status).toBe('archived');
    const ids = async (query: string) => (await app.api<Item[]>('GET', `/api/offers${query}`)).body.map((o) => o.id);
    expect(await ids('')).not.toContain(offer.id);
    expect(await ids('?archived=true')).toContain(offer.id);
    expect(await ids('?archived=all')).toContain(offer.id);
    const refused = await app.api<Refusal>('POST', '/api/campaigns', { name: 'On archived', offerId: offer.id, trafficSourceId: source.id });
    expect([refused.status, refused.body.param]).toEqual([400, 'offerId']);
    // The existing campaign keeps sending clicks to the archived offer.
    await click(app, campaign.id);
    await app.api('POST', `/api/offers/${offer.id}/restore`);
    expect(await ids('')).toContain(offer.id);
    expect((await app.api<Refusal>('GET', '/api/offers?archived=maybe')).body.param).toBe('archived');
  });

  it('applies bulk actions all or nothing, and filters by tag', async () => {
    const a = await chain('bulk-a');
    const b = await chain('bulk-b');
    const bad = await app.api<Refusal>('POST', '/api/campaigns/bulk', {
      action: 'pause',
      ids: [a.campaign.id, b.campaign.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect([bad.status, bad.body.param]).toEqual([400, 'ids.2']);
    expect((await stateOf(`/api/campaigns/${a.campaign.id}`)).status).toBe('active');

    const tagged = await app.api<{ count: number; items: Item[] }>('POST', '/api/campaigns/bulk', {
      action: 'tag',
      ids: [a.campaign.id, b.campaign.id],
      tags: ['q3', 'blitz'],
    });
    expect(tagged.body.count).toBe(2);
    expect(tagged.body.items.map((i) => i.tags)).toEqual([
      ['blitz', 'q3'],
      ['blitz', 'q3'],
    ]);
    const paused = await app.api<{ items: Item[] }>('POST', '/api/campaigns/bulk', { action: 'pause', ids: [a.campaign.id, b.campaign.id] });
    expect(paused.body.items.map((i) => i.status)).toEqual(['paused', 'paused']);
    await app.api('POST', '/api/campaigns/bulk', { action: 'untag', ids: [b.campaign.id], tags: ['q3'] });
    const byTag = (await app.api<Item[]>('GET', '/api/campaigns?tag=q3')).body.map((c) => c.id);
    expect(byTag).toEqual([a.campaign.id]);
    expect((await app.api<Item[]>('GET', '/api/campaigns?status=paused&tag=blitz')).body.map((c) => c.id).sort()).toEqual(
      [a.campaign.id, b.campaign.id].sort(),
    );
    await app.api('POST', '/api/campaigns/bulk', { action: 'archive', ids: [a.campaign.id, b.campaign.id] });
    expect((await app.api<Item[]>('GET', '/api/campaigns?tag=blitz')).body).toHaveLength(0);
    expect((await app.api<Item[]>('GET', '/api/campaigns?tag=blitz&archived=true')).body).toHaveLength(2);
    expect((await app.api<Refusal>('POST', '/api/offers/bulk', { action: 'pause', ids: [a.offer.id, 'nope'] })).body.param).toBe('ids.1');
    expect((await app.api<Refusal>('POST', '/api/offers/bulk', { action: 'tag', ids: [a.offer.id] })).body.param).toBe('tags');
  });

  it('deletes only what nothing refers to; otherwise a 409 names what does', async () => {
    const { network, offer, source, campaign } = await chain('delete');
    const offerInUse = await app.api<Refusal>('DELETE', `/api/offers/${offer.id}`);
    expect(offerInUse.status).toBe(409);
    expect(offerInUse.body.error).toBe('in_use');
    expect(offerInUse.body.message).toContain('1 campaign: Campaign delete');
    expect((await app.api<Refusal>('DELETE', `/api/networks/${network.id}`)).body.message).toContain('1 offer: Offer delete');
    await click(app, campaign.id);
    expect((await app.api<Refusal>('DELETE', `/api/campaigns/${campaign.id}`)).body.message).toContain('1 click;');

    const spare = await created<Campaign>('/api/campaigns', { name: 'Spare', trafficSourceId: source.id, offerId: offer.id });
    expect((await app.api('DELETE', `/api/campaigns/${spare.id}`)).status).toBe(204);
    expect((await app.api('GET', `/api/campaigns/${spare.id}`)).status).toBe(404);
    const lone = await created('/api/offers', { name: 'Lone', networkId: network.id, url: 'https://lone.example/' });
    await app.api('PUT', `/api/offers/${lone.id}/goals/sale`, { manyPerClick: true });
    expect((await app.api('DELETE', `/api/offers/${lone.id}`)).status).toBe(204);
    expect((await app.api('DELETE', `/api/offers/${lone.id}`)).status).toBe(404);
  });

  it('clones a campaign and an offer: a new id, "(copy)", the same settings and goals', async () => {
    const { offer, campaign } = await chain('clone');
    await app.api('PUT', `/api/offers/${offer.id}/goals/rebill`, { manyPerClick: true });
    const goalTrail = await app.api<AuditPage>('GET', `/api/offers/${offer.id}/audit-log?action=set_goal`);
    expect(goalTrail.body.items.map((i) => [i.before, i.after])).toEqual([[null, { goal: 'rebill', manyPerClick: true }]]);
    await app.api('PATCH', `/api/campaigns/${campaign.id}`, { costModel: 'cpa', costValue: '3', tags: ['x'], pausedUrl: 'https://fb.example/' });
    const copy = await app.api<Item>('POST', `/api/campaigns/${campaign.id}/clone`);
    expect(copy.status).toBe(201);
    expect(copy.body.id).not.toBe(campaign.id);
    const cloned = await stateOf(`/api/campaigns/${copy.body.id}`);
    expect(cloned).toMatchObject({
      name: 'Campaign clone (copy)',
      offerId: campaign.offerId,
      trafficSourceId: campaign.trafficSourceId,
      costModel: 'cpa',
      costValue: '3',
      tags: ['x'],
      pausedUrl: 'https://fb.example/',
      pausedClicks: 0,
      version: 1,
      status: 'active',
    });
    const offerCopy = await app.api<Item>('POST', `/api/offers/${offer.id}/clone`);
    expect((await stateOf(`/api/offers/${offerCopy.body.id}`)).name).toBe('Offer clone (copy)');
    expect((await app.api('GET', `/api/offers/${offerCopy.body.id}/goals`)).body).toEqual([{ goal: 'rebill', manyPerClick: true }]);
    expect((await app.api('POST', `/api/networks/${campaign.id}/clone`)).status).toBe(404);
  });

  it('edits, disables and enables users and API keys; a console edit needs a version', async () => {
    const user = await created<{ id: string; version: number }>('/api/users', { email: `lc${n}@example.com`, password: PASSWORD, role: 'manager' });
    const renamed = await app.api<{ name: string; version: number }>('PATCH', `/api/users/${user.id}`, { version: user.version, name: 'Lee' });
    expect(renamed.body).toMatchObject({ name: 'Lee', version: user.version + 1 });
    expect((await app.api<Refusal>('PATCH', `/api/users/${user.id}`, { version: user.version, role: 'client' })).body.error).toBe('version_conflict');

    const session = new ConsoleSession(app);
    expect((await session.signIn(`lc${n}@example.com`, PASSWORD)).status).toBe(200);
    const { body: list } = await session.request<Array<{ id: string; version: number }>>('GET', '/api/campaigns');
    const unversioned = await session.request<Refusal>('PATCH', `/api/campaigns/${list[0].id}`, { name: 'By session' });
    expect([unversioned.status, unversioned.body.param]).toEqual([400, 'version']);
    expect((await session.request('PATCH', `/api/campaigns/${list[0].id}`, { name: 'By session', version: list[0].version })).status).toBe(200);

    const disabled = await app.api<{ status: string }>('POST', `/api/users/${user.id}/disable`);
    expect(disabled.body.status).toBe('disabled');
    expect((await session.request('GET', '/api/campaigns')).status).toBe(401);
    const again = new ConsoleSession(app);
    expect((await again.signIn(`lc${n}@example.com`, PASSWORD)).body.error).toBe('account_disabled');
    await app.api('POST', `/api/users/${user.id}/enable`);
    expect((await again.signIn(`lc${n}@example.com`, PASSWORD)).status).toBe(200);

    const key = await created<{ id: string; key: string; version: number }>('/api/api-keys', { scope: 'read', label: 'reporting' });
    const relabelled = await app.api<{ label: string }>('PATCH', `/api/api-keys/${key.id}`, { version: key.version, label: 'dashboards' });
    expect(relabelled.body.label).toBe('dashboards');
    const withKey = () => getJson(`${app.url}/api/campaigns`, { headers: { 'x-api-key': key.key } });
    expect((await withKey()).status).toBe(200);
    await app.api('POST', `/api/api-keys/${key.id}/disable`);
    expect((await withKey()).status).toBe(401);
    await app.api('POST', `/api/api-keys/${key.id}/enable`);
    expect((await withKey()).status).toBe(200);
    const userTrail = await app.api<AuditPage>('GET', `/api/users/${user.id}/audit-log`);
    expect(userTrail.body.items.map((i) => i.action)).toEqual(['enable', 'disable', 'edit', 'create']);
    expect(JSON.stringify(userTrail.body)).not.toContain(PASSWORD);
    const keyTrail = await app.api<AuditPage>('GET', `/api/api-keys/${key.id}/audit-log`);
    expect(keyTrail.body.items.map((i) => i.action)).toEqual(['enable', 'disable', 'edit', 'create']);
    expect(JSON.stringify(keyTrail.body)).not.toContain(key.key);
  });

  it('keeps an audit log of every change, per item and as a whole, paged with a total, secrets masked', async () => {
    const { campaign, source } = await chain('audit');
    await app.api('PATCH', `/api/campaigns/${campaign.id}`, { name: 'Audited' });
    await app.api('POST', `/api/campaigns/${campaign.id}/pause`);
    const trail = await app.api<AuditPage>('GET', `/api/campaigns/${campaign.id}/audit-log`);
    expect(trail.body.total).toBe(3);
    expect(trail.body.items.map((i) => i.action)).toEqual(['pause', 'edit', 'create']);
    expect(trail.body.items[1]).toMatchObject({ before: { name: 'Campaign audit' }, after: { name: 'Audited' } });
    expect(trail.body.items[0].actor).toMatchObject({ type: 'api_key' });
    expect(trail.body.items[0].before).toMatchObject({ status: 'active' });
    expect(trail.body.items[0].after).toMatchObject({ status: 'paused' });

    await app.api('PATCH', `/api/traffic-sources/${source.id}`, { postbackUrl: `${receiver.url}/audit?token=s3cr3t-value&ext={external_id}` });
    const sourceTrail = await app.api<AuditPage>('GET', `/api/traffic-sources/${source.id}/audit-log?action=edit`);
    expect(JSON.stringify(sourceTrail.body)).not.toContain('s3cr3t-value');
    expect(String(sourceTrail.body.items[0].after?.postbackUrl)).toContain('token=');

    const page = await app.api<AuditPage & { limit: number }>('GET', '/api/audit-log?entityType=campaign&limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    expect(page.body).toMatchObject({ totalIsLowerBound: false, limit: 2, offset: 0 });
    const next = await app.api<AuditPage>('GET', `/api/audit-log?entityType=campaign&limit=2&offset=2`);
    expect(next.body.items[0]).not.toEqual(page.body.items[0]);
    const future = new Date(Date.now() + DAY).toISOString();
    expect((await app.api<AuditPage>('GET', `/api/audit-log?from=${future}`)).body.total).toBe(0);
    expect((await app.api<Refusal>('GET', '/api/audit-log?entityType=planet')).body.param).toBe('entityType');
    const readKey = await created<{ key: string }>('/api/api-keys', { scope: 'read' });
    expect((await getJson(`${app.url}/api/audit-log`, { headers: { authorization: `Bearer ${readKey.key}` } })).status).toBe(403);
    expect((await getJson(`${app.url}/api/audit-log`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(200);
  });

  it("records credential changes and currency rates in the audit trail, in the change's transaction, never the secret", async () => {
    const { network, source } = await chain('credentials');
    const key = await created<{ id: string; key: string }>(`/api/networks/${network.id}/api-keys`, { label: 'Everflow' });
    const secret = await created<{ id: string; secret: string }>(`/api/networks/${network.id}/signing-secrets`, { label: 'v1' });
    expect((await app.api('DELETE', `/api/networks/${network.id}/api-keys/${key.id}`)).status).toBe(204);
    expect((await app.api('DELETE', `/api/networks/${network.id}/signing-secrets/${secret.id}`)).status).toBe(204);
    // A key or secret of another network is a 404, and leaves no trace.
    expect((await app.api('DELETE', `/api/networks/${network.id}/api-keys/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const networkTrail = await app.api<AuditPage>('GET', `/api/networks/${network.id}/audit-log`);
    expect(networkTrail.body.items.map((i) => i.action)).toEqual(['revoke_signing_secret', 'revoke_api_key', 'add_signing_secret', 'add_api_key', 'create']);
    expect(networkTrail.body.items[3]).toMatchObject({ before: null, after: { apiKey: { id: key.id, label: 'Everflow', revokedAt: null } } });
    expect(networkTrail.body.items[1]).toMatchObject({
      before: { apiKey: { revokedAt: null } },
      after: { apiKey: { id: key.id, revokedAt: expect.any(String) } },
    });
    expect(networkTrail.body.items[0]).toMatchObject({ after: { signingSecret: { id: secret.id, revokedAt: expect.any(String) } } });

    const sourceSecret = await created<{ id: string; secret: string }>(`/api/traffic-sources/${source.id}/signing-secrets`, {});
    expect((await app.api('DELETE', `/api/traffic-sources/${source.id}/signing-secrets/${sourceSecret.id}`)).status).toBe(200);
    const sourceTrail = await app.api<AuditPage>('GET', `/api/traffic-sources/${source.id}/audit-log`);
    expect(sourceTrail.body.items.slice(0, 2).map((i) => [i.action, (i.after?.signingSecret as { id: string }).id])).toEqual([
      ['revoke_signing_secret', sourceSecret.id],
      ['add_signing_secret', sourceSecret.id],
    ]);

    expect((await app.api('PUT', '/api/currency-rates', { rates: [{ currency: 'EUR', day: '2026-03-01', rate: '1.05' }] })).status).toBe(200);
    const rates = [
      { currency: 'EUR', day: '2026-03-01', rate: '1.08' },
      { currency: 'GBP', day: '2026-03-01', rate: '1.27' },
    ];
    expect((await app.api('PUT', '/api/currency-rates', { rates })).status).toBe(200);
    const rateTrail = await app.api<AuditPage>('GET', '/api/audit-log?entityType=currencyRate');
    expect(rateTrail.body.items.map((i) => [i.entityId, i.before, i.after])).toEqual([
      ['GBP', null, { rates: [{ day: '2026-03-01', rate: '1.27' }] }],
      ['EUR', { rates: [{ day: '2026-03-01', rate: '1.05' }] }, { rates: [{ day: '2026-03-01', rate: '1.08' }] }],
      ['EUR', null, { rates: [{ day: '2026-03-01', rate: '1.05' }] }],
    ]);

    const everything = JSON.stringify((await app.api<AuditPage>('GET', '/api/audit-log?limit=500')).body);
    for (const shown of [key.key, secret.secret, sourceSecret.secret]) expect(everything).not.toContain(shown);
  });
});
