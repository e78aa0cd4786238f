import { join } from 'node:path';
import { BadParameterError, buildAdapterRequest } from '@postwire/plugin-sdk';
import { runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { tuneAdapter } from './tune.adapter';

runAdapterConformance(tuneAdapter, { fixturesDir: join(__dirname, 'fixtures') });

const CLICK = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';
const parse = (query: Record<string, string>, config = { clickIdParam: 'aff_sub' }) =>
  tuneAdapter.parse(buildAdapterRequest({ method: 'GET', path: '/postback/tune', query }), config);

const refusal = (query: Record<string, string>, config = { clickIdParam: 'aff_sub' }): BadParameterError =>
  thrownBy(() => parse(query, config), BadParameterError);

describe('tune adapter', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.adapters).toEqual([tuneAdapter]);
  });

  it('gives the URL to paste as the TUNE partner postback', () => {
    expect(tuneAdapter.postbackUrlTemplate('https://t.example.com', { id: 'n1', slug: 'hasoffers' })).toBe(
      'https://t.example.com/postback/hasoffers?aff_sub={aff_sub}&aff_sub2={aff_sub2}&aff_sub3={aff_sub3}&aff_sub4={aff_sub4}&aff_sub5={aff_sub5}' +
        '&aff_click_id={aff_click_id}&transaction_id={transaction_id}&payout={payout}&amount={amount}&currency={currency}&goal_id={goal_id}&offer_id={offer_id}',
    );
  });

  it('names the configured parameter when the click id is missing', () => {
    expect(refusal({ aff_sub: CLICK }, { clickIdParam: 'aff_click_id' }).param).toBe('aff_click_id');
    expect(refusal({}).param).toBe('aff_sub');
  });

  it('names the parameter of a bad amount', () => {
    expect(refusal({ aff_sub: CLICK, payout: '0x10' }).param).toBe('payout');
    expect(refusal({ aff_sub: CLICK, amount: '1,5' }).param).toBe('amount');
    expect(refusal({ aff_sub: CLICK, sale_amount: 'Infinity' }).param).toBe('sale_amount');
    expect(refusal({ aff_sub: CLICK, currency: 'DOLLARS' }).param).toBe('currency');
  });

  it('accepts amount and sale_amount that agree', () => {
    expect(parse({ aff_sub: CLICK, amount: '5', sale_amount: '5' })).toEqual([{ clickId: CLICK, revenue: '5' }]);
  });
});
