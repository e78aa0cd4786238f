import { join } from 'node:path';
import { AdapterRequest, BadParameterError } from '@postwire/plugin-sdk';
import { runAdapterConformance } from '@postwire/plugin-sdk/testing';
import { genericAdapter } from './generic.adapter';

runAdapterConformance(genericAdapter, { fixturesDir: join(__dirname, 'fixtures') });

const get = (query: Record<string, string>): AdapterRequest => ({
  method: 'GET',
  path: '/postback',
  query,
  headers: {},
  rawBody: Buffer.alloc(0),
  ip: '127.0.0.1',
});

describe('generic adapter', () => {
  it('reads the canonical parameters', () => {
    const [pb] = genericAdapter.parse(
      get({ click_id: 'c1', amount: '10.00', payout: '2.5', status: 'sale', txid: 't1', goal: 'dep', currency: 'eur' }),
      {},
    ) as never[];
    expect(pb).toEqual({ clickId: 'c1', revenue: '10', payout: '2.5', status: 'approved', txid: 't1', goal: 'dep', currency: 'EUR' });
  });

  it('accepts aliases', () => {
    const [pb] = genericAdapter.parse(get({ subid: 'c2', transaction_id: 't2' }), {}) as never[];
    expect(pb).toEqual({ clickId: 'c2', txid: 't2' });
  });

  it('reads a JSON or form body on POST', () => {
    const req: AdapterRequest = { ...get({}), method: 'POST', body: { clickid: 'c3', payout: 4 } };
    expect(genericAdapter.parse(req, {})).toEqual([{ clickId: 'c3', payout: '4' }]);
  });

  it.each([
    [{ payout: '1' }, 'click_id'],
    [{ click_id: 'c', payout: 'abc' }, 'payout'],
    [{ click_id: 'c', amount: '-5' }, 'amount'],
    [{ click_id: 'c', status: 'maybe' }, 'status'],
    [{ click_id: 'c', currency: 'XXQ' }, 'currency'],
    [{ click_id: 'a', cid: 'b' }, 'cid'],
    [{ click_id: 'c', country: 'Germany' }, 'country'],
    [{ click_id: 'c', country: 'QQ' }, 'country'],
    [{ click_id: 'c', buyer_ip: '300.1.2.3' }, 'buyer_ip'],
    [{ click_id: 'c', buyer_ip: 'example.com' }, 'buyer_ip'],
  ])('refuses %p naming %s', (query, param) => {
    let error: unknown;
    try {
      genericAdapter.parse(get(query as Record<string, string>), {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadParameterError);
    expect((error as BadParameterError).param).toBe(param);
  });

  it('treats values of only spaces as not sent', () => {
    expect(genericAdapter.parse(get({ click_id: 'c1', txid: '  ', goal: ' ' }), {})).toEqual([{ clickId: 'c1' }]);
    let error: unknown;
    try {
      genericAdapter.parse(get({ click_id: '   ' }), {});
    } catch (e) {
      error = e;
    }
    expect((error as BadParameterError).param).toBe('click_id');
  });

  it('gives a ready-to-paste URL', () => {
    expect(genericAdapter.postbackUrlTemplate('https://t.example/', { id: 'n1', slug: 'acme' })).toMatch(
      /^https:\/\/t\.example\/postback\/acme\?click_id=\{click_id\}/,
    );
  });
});
