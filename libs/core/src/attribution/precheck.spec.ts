import { precheckPostback, type PrecheckClick } from './precheck';

const DAY = 86_400_000;
const clickAt = new Date('2024-03-01T12:00:00.000Z');
const click: PrecheckClick = { clickAt, networkId: 'net-a', windowDays: 30, manyPerClick: false };
const later = (ms: number) => new Date(clickAt.getTime() + ms);

describe('precheckPostback', () => {
  it('lets a postback for a known click, from its network, inside the window, go on to the engine', () => {
    expect(precheckPostback({ networkId: 'net-a', receivedAt: later(DAY) }, click)).toEqual({ ok: true });
  });

  it('lets a postback that names no network go on (the generic /postback and pixels)', () => {
    expect(precheckPostback({ receivedAt: later(DAY) }, click)).toEqual({ ok: true });
  });

  it('keeps an unknown click unattributed', () => {
    expect(precheckPostback({ networkId: 'net-a', receivedAt: later(0) }, undefined)).toEqual({ ok: false, outcome: 'unattributed', reason: 'unknown_click' });
  });

  it('rejects a postback from another network than the click’s', () => {
    expect(precheckPostback({ networkId: 'net-b', receivedAt: later(DAY) }, click)).toEqual({ ok: false, outcome: 'rejected', reason: 'network_mismatch' });
  });

  it('rejects a postback after the attribution window, and keeps its last instant', () => {
    expect(precheckPostback({ receivedAt: later(30 * DAY + 1) }, click)).toEqual({ ok: false, outcome: 'rejected', reason: 'outside_window' });
    expect(precheckPostback({ receivedAt: later(30 * DAY) }, click)).toEqual({ ok: true });
  });

  it('refuses a goal with several conversions per click without a txid, and passes it with one', () => {
    const many = { ...click, manyPerClick: true };
    expect(precheckPostback({ receivedAt: later(DAY) }, many)).toEqual({ ok: false, outcome: 'refused', reason: 'missing_txid' });
    expect(precheckPostback({ receivedAt: later(DAY), txid: '' }, many)).toEqual({ ok: false, outcome: 'refused', reason: 'missing_txid' });
    expect(precheckPostback({ receivedAt: later(DAY), txid: 'T-1' }, many)).toEqual({ ok: true });
  });

  it('checks in order: network before window, window before txid', () => {
    const many = { ...click, manyPerClick: true };
    expect(precheckPostback({ networkId: 'net-b', receivedAt: later(365 * DAY) }, many)).toMatchObject({ reason: 'network_mismatch' });
    expect(precheckPostback({ receivedAt: later(365 * DAY) }, many)).toMatchObject({ reason: 'outside_window' });
  });
});
