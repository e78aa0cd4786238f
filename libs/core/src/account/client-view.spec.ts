import { clientHiddenFields } from './client-view';

describe('client view', () => {
  it('hides source, visitor and raw parameters by default', () => {
    const hidden = clientHiddenFields([]);
    for (const field of ['trafficSourceName', 'postbackUrl', 'url', 'headers', 'ip', 'userAgent', 'adIds', 'fraud', 'params', 'canonical'])
      expect(hidden.has(field)).toBe(true);
    expect(hidden.has('payout')).toBe(false);
    expect(hidden.has('clickId')).toBe(false);
  });

  it('shows each extra once allowed, and only it', () => {
    const hidden = clientHiddenFields(['visitor']);
    expect(hidden.has('ip')).toBe(false);
    expect(hidden.has('userAgent')).toBe(false);
    expect(hidden.has('params')).toBe(true);
    expect(hidden.has('trafficSourceName')).toBe(true);
    expect(clientHiddenFields(['traffic_source', 'visitor', 'raw_params']).size).toBe(0);
  });
});
