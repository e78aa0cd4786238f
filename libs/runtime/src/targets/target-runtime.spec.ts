import { createHash } from 'node:crypto';
import type { StoredTargetConversion } from '@postwire/persistence';
import { hashPersonalData } from '@postwire/plugin-sdk';
import { PluginRegistry } from './plugin-registry';
import { targetConversion } from './target-runtime';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A stored conversion as the repository reads it, with the digests the intake kept for this buyer. */
const stored = (personal: StoredTargetConversion['personal']): StoredTargetConversion => ({
  conversion: {
    id: 'cv-1',
    status: 'approved',
    previousStatus: null,
    goal: '',
    txid: null,
    payout: '12.50',
    revenue: null,
    currency: 'EUR',
    occurredAt: new Date('2026-06-02T08:00:00Z'),
    isTest: false,
  },
  click: { id: 'c-1', at: new Date('2026-06-01T08:00:00Z'), ip: null, userAgent: null, country: null, adIds: {} },
  personal,
  event: 'created',
  source: { id: 'ts-1', targetId: 'meta-capi', config: {}, mapping: [] },
});

describe('targetConversion: each installed target receives the digests of its own normalisation', () => {
  const registry = PluginRegistry.load();
  const digests = hashPersonalData({ email: 'Jane.Doe@gmail.com', phone: '+1 (650) 555-1212', externalId: 'u-7' });
  const cases: Array<[string, string, string]> = [
    ['meta-capi', 'jane.doe@gmail.com', '16505551212'],
    ['google-ads', 'janedoe@gmail.com', '+16505551212'],
    ['tiktok-events', 'jane.doe@gmail.com', '+16505551212'],
    ['postback-url', 'jane.doe@gmail.com', '16505551212'],
  ];

  it.each(cases)('%s gets sha256(%s) and sha256(%s)', (id, email, phone) => {
    const target = registry.target(id);
    expect(target).toBeDefined();
    expect(targetConversion(stored(digests), target!).personal).toEqual({ email: sha256(email), phone: sha256(phone), externalId: sha256('u-7') });
  });
});
