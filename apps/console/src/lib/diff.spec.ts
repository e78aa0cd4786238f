import { diffFields, showValue } from './diff';

describe('diffFields', () => {
  it('lists the fields that changed, nested values compared whole, bookkeeping left out', () => {
    const before = { name: 'Summer', payout: '2.50', guards: { requireApiKey: true }, tags: ['a'], version: 1, updatedAt: 'x' };
    const after = { name: 'Summer', payout: '3.00', guards: { requireApiKey: true }, tags: ['a', 'b'], paused: true, version: 2, updatedAt: 'y' };
    expect(diffFields(before, after)).toEqual([
      { field: 'payout', before: '2.50', after: '3.00' },
      { field: 'tags', before: ['a'], after: ['a', 'b'] },
      { field: 'paused', before: undefined, after: true },
    ]);
  });

  it('treats a created or deleted item as every field changing', () => {
    expect(diffFields(null, { name: 'A' })).toEqual([{ field: 'name', before: undefined, after: 'A' }]);
    expect(diffFields({ name: 'A' }, null)).toEqual([{ field: 'name', before: 'A', after: undefined }]);
  });

  it('shows values on one line', () => {
    expect([showValue(null), showValue(''), showValue(['a', 'b']), showValue([]), showValue({ a: 1 }), showValue(false)]).toEqual([
      '—',
      '—',
      'a, b',
      '—',
      '{"a":1}',
      'false',
    ]);
  });
});
