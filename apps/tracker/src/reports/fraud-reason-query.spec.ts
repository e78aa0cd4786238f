import { parseStatsQuery } from './report-schemas';

/** A report by fraud reason reads the per-reason rollups, which know time and the entities only: other dimensions are a 400 naming them. */
describe('a stats query by fraud reason', () => {
  const base = { from: '2026-03-01', to: '2026-03-02' };

  it('combines with time and the entities', () => {
    const q = parseStatsQuery({ ...base, groupBy: 'day,campaign,fraudReason', fraudReason: 'bot_user_agent,datacenter_ip' });
    expect('path' in q ? q : q.groupBy).toEqual(['day', 'campaign', 'fraudReason']);
    expect('path' in q ? undefined : q.filters.fraudReason).toEqual(['bot_user_agent', 'datacenter_ip']);
  });

  it('refuses another grouping, naming groupBy', () => {
    expect(parseStatsQuery({ ...base, groupBy: 'fraudReason,country' })).toMatchObject({ path: 'groupBy', message: expect.stringContaining('country') });
  });

  it('refuses another filter, naming it', () => {
    expect(parseStatsQuery({ ...base, groupBy: 'fraudReason', sub1: 'zone-1' })).toMatchObject({ path: 'sub1' });
    expect(parseStatsQuery({ ...base, groupBy: 'country', fraudReason: 'bot_user_agent' })).toMatchObject({ path: 'groupBy' });
  });
});
