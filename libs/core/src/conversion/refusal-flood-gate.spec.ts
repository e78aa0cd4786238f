import { RefusalFloodGate } from './refusal-flood-gate';

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, 10, minute, second));

describe('RefusalFloodGate', () => {
  it('admits the first refusals of an address each minute and counts the rest by reason', () => {
    const gate = new RefusalFloodGate(3);
    const admitted = Array.from({ length: 10 }, (_, i) => gate.admit('198.51.100.1', i % 2 ? 'bad_key' : 'rate_limited', at(0, i)));
    expect(admitted).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(gate.admit('198.51.100.2', 'bad_key', at(0, 30))).toBe(true);
    expect(gate.drain().sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { minute: at(0), ip: '198.51.100.1', reason: 'bad_key', count: 4 },
      { minute: at(0), ip: '198.51.100.1', reason: 'rate_limited', count: 3 },
    ]);
    expect(gate.hasCounts).toBe(false);
    expect(gate.drain()).toEqual([]);
  });

  it('starts every address afresh when the minute turns', () => {
    const gate = new RefusalFloodGate(1);
    expect([gate.admit('a', 'x', at(0, 1)), gate.admit('a', 'x', at(0, 59)), gate.admit('a', 'x', at(1, 0))]).toEqual([true, false, true]);
  });

  it('stops tracking new addresses past its bound, admitting them (the database still bounds them)', () => {
    const gate = new RefusalFloodGate(1, 2);
    gate.admit('a', 'x', at(0));
    gate.admit('b', 'x', at(0));
    expect([gate.admit('c', 'x', at(0)), gate.admit('c', 'x', at(0)), gate.admit('a', 'x', at(0))]).toEqual([true, true, false]);
  });
});
