import { lifecycleStatus, matchesLifecycleFilter } from './lifecycle-status';

const at = new Date('2026-03-01T00:00:00Z');
const active = { pausedAt: null, archivedAt: null, tags: ['eu'] };
const paused = { pausedAt: at, archivedAt: null, tags: ['eu', 'push'] };
const archived = { pausedAt: at, archivedAt: at, tags: ['push'] };

describe('lifecycle status', () => {
  it('is archived over paused over active', () => {
    expect([active, paused, archived].map(lifecycleStatus)).toEqual(['active', 'paused', 'archived']);
  });

  it('leaves archived items out of lists unless asked for', () => {
    const shown = (filter: Parameters<typeof matchesLifecycleFilter>[1]) => [active, paused, archived].filter((i) => matchesLifecycleFilter(i, filter));
    expect(shown({})).toEqual([active, paused]);
    expect(shown({ archived: 'only' })).toEqual([archived]);
    expect(shown({ archived: 'include' })).toEqual([active, paused, archived]);
    expect(shown({ status: 'archived' })).toEqual([archived]);
    expect(shown({ tag: 'push' })).toEqual([paused]);
    expect(shown({ tag: 'push', archived: 'include' })).toEqual([paused, archived]);
    expect(shown({ tag: 'none' })).toEqual([]);
  });
});
