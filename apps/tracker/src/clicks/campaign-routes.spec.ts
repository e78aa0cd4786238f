import type { CampaignRepository } from '@postwire/persistence';
import { CampaignRoutes, type CampaignRoute } from './campaign-routes';

const ID = '3f1c2b8e-5d6a-4c1e-9b2f-7a8d9e0f1a2b';
// Fake timers (Date.now included): the TTLs are measured on a clock the test moves, so a busy
// machine cannot make an entry older or younger than the test says.
const LATENCY_MS = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const elapse = (ms: number) => jest.advanceTimersByTimeAsync(ms);
/** The route once the repository's answer (LATENCY_MS of fake time) has arrived. */
async function answered<T>(value: T | Promise<T>): Promise<T> {
  await elapse(LATENCY_MS);
  return value;
}

function repository(urls: Record<string, string>) {
  const calls: string[] = [];
  const repo = {
    getRoute: async (id: string): Promise<CampaignRoute | undefined> => {
      calls.push(id);
      await sleep(LATENCY_MS);
      return urls[id]
        ? {
            campaignId: id,
            offerId: '00000000-0000-4000-8000-0000000000aa',
            offerUrl: urls[id],
            externalIdParam: 'external_id',
            costModel: 'none',
            costValue: null,
            costParam: 'cost',
            paused: false,
            pausedUrl: null,
            fraudPolicy: {},
          }
        : undefined;
    },
  };
  return { repo: repo as unknown as CampaignRepository, calls, urls };
}

describe('CampaignRoutes', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks the database once for many concurrent clicks, then answers from memory', async () => {
    const { repo, calls } = repository({ [ID]: 'https://offer.example/a' });
    const routes = new CampaignRoutes(repo);
    const first = await answered(Promise.all(Array.from({ length: 20 }, () => routes.get(ID))));
    expect(first.every((r) => r?.offerUrl === 'https://offer.example/a')).toBe(true);
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/a' });
    expect(calls).toEqual([ID]);
  });

  it('picks up a changed offer URL after the TTL, serving the old one while the refresh runs', async () => {
    const { repo, calls, urls } = repository({ [ID]: 'https://offer.example/old' });
    const routes = new CampaignRoutes(repo, { ttlMs: 20, maxStaleMs: 1000 });
    await answered(routes.get(ID));
    urls[ID] = 'https://offer.example/new';
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/old' });
    await elapse(19);
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/old' });
    expect(calls).toHaveLength(1);
    await elapse(1);
    // Stale: this click still gets the old URL, and starts the one refresh.
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/old' });
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/old' });
    await elapse(LATENCY_MS);
    expect(routes.get(ID)).toMatchObject({ offerUrl: 'https://offer.example/new' });
    expect(calls).toHaveLength(2);
  });

  it('does not serve an entry older than maxStale: the click waits for the database', async () => {
    const { repo, urls } = repository({ [ID]: 'https://offer.example/old' });
    const routes = new CampaignRoutes(repo, { ttlMs: 5, maxStaleMs: 10 });
    await answered(routes.get(ID));
    urls[ID] = 'https://offer.example/new';
    await elapse(10);
    const route = routes.get(ID);
    expect(route).toBeInstanceOf(Promise);
    await expect(answered(route)).resolves.toMatchObject({ offerUrl: 'https://offer.example/new' });
  });

  it('remembers unknown campaigns, never asks about ids that are not uuids, and forgets on invalidate', async () => {
    const { repo, calls, urls } = repository({});
    const routes = new CampaignRoutes(repo);
    expect(await answered(routes.get(ID))).toBeNull();
    expect(routes.get(ID)).toBeNull();
    expect(routes.get('not-a-uuid')).toBeNull();
    expect(calls).toEqual([ID]);
    urls[ID] = 'https://offer.example/created';
    routes.invalidate(ID);
    await expect(answered(routes.get(ID))).resolves.toMatchObject({ offerUrl: 'https://offer.example/created' });
  });

  it('keeps at most maxEntries campaigns', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `3f1c2b8e-5d6a-4c1e-9b2f-7a8d9e0f1a2${i}`);
    const { repo, calls } = repository(Object.fromEntries(ids.map((id) => [id, `https://offer.example/${id}`])));
    const routes = new CampaignRoutes(repo, { maxEntries: 3 });
    for (const id of ids) await answered(routes.get(id));
    // The two loaded first made room; the last three are still in memory.
    for (const id of ids.slice(2)) expect(routes.get(id)).not.toBeInstanceOf(Promise);
    expect(routes.get(ids[0])).toBeInstanceOf(Promise);
    expect(calls).toHaveLength(6);
  });
});
