import { join } from 'node:path';
import { BadParameterError, buildAdapterRequest } from '@postwire/plugin-sdk';
import { runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { affiseAdapter } from './affise.adapter';

runAdapterConformance(affiseAdapter, { fixturesDir: join(__dirname, 'fixtures') });

const CLICK = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';
const config = { clickIdParam: 'sub1' };
const parse = (query: Record<string, string>) => affiseAdapter.parse(buildAdapterRequest({ method: 'GET', path: '/postback/af', query }), config);

const refusal = (query: Record<string, string>): BadParameterError => thrownBy(() => parse(query), BadParameterError);

describe('affise adapter', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.adapters).toEqual([affiseAdapter]);
  });

  it('gives the URL to paste as the Affise global postback', () => {
    expect(affiseAdapter.postbackUrlTemplate('https://t.example.com', { id: 'n1', slug: 'affise' })).toBe(
      'https://t.example.com/postback/affise?sub1={sub1}&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}&sub6={sub6}&sub7={sub7}&sub8={sub8}' +
        '&transactionid={transactionid}&status={status}&sum={sum}&currency={currency}&goal={goal}&offerid={offerid}&order_sum={order_sum}&order_currency={order_currency}',
    );
  });

  it.each([
    ['1', 'approved'],
    ['2', 'pending'],
    ['3', 'declined'],
    ['5', 'pending'],
    [' 1 ', 'approved'],
  ])('maps status %p to %s', (status, expected) => {
    expect(parse({ sub1: CLICK, status })).toEqual([{ clickId: CLICK, status: expected }]);
  });

  it.each(['0', '4', 'approved', 'hold', '01', 'constructor'])('refuses status %p, naming status', (status) => {
    expect(refusal({ sub1: CLICK, status }).param).toBe('status');
  });

  it('names sum and order_sum for bad amounts', () => {
    expect(refusal({ sub1: CLICK, sum: '1e3' }).param).toBe('sum');
    expect(refusal({ sub1: CLICK, order_sum: 'NaN' }).param).toBe('order_sum');
  });

  it('uses the sale as revenue when only the payout currency is known', () => {
    expect(parse({ sub1: CLICK, sum: '1', currency: 'eur', order_sum: '10' })).toEqual([{ clickId: CLICK, payout: '1', revenue: '10', currency: 'EUR' }]);
  });

  it('keeps a sale with a currency but no payout currency as a note', () => {
    expect(parse({ sub1: CLICK, order_sum: '10', order_currency: 'EUR' })).toEqual([{ clickId: CLICK, extras: { order_sum: '10', order_currency: 'EUR' } }]);
  });
});
