import { join } from 'node:path';
import { BadParameterError, buildAdapterRequest } from '@postwire/plugin-sdk';
import { runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { everflowAdapter } from './everflow.adapter';

runAdapterConformance(everflowAdapter, { fixturesDir: join(__dirname, 'fixtures') });

const CLICK = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';
const get = (query: Record<string, string>) => buildAdapterRequest({ method: 'GET', path: '/postback/ef', query });

const refusal = (query: Record<string, string>, config = { clickIdParam: 'sub1' }): BadParameterError =>
  thrownBy(() => everflowAdapter.parse(get(query), config), BadParameterError);

describe('everflow adapter', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.adapters).toEqual([everflowAdapter]);
  });

  it('gives the URL to paste into the Everflow partner postback form', () => {
    expect(everflowAdapter.postbackUrlTemplate('https://t.example.com/', { id: 'n1', slug: 'ef-main' })).toBe(
      'https://t.example.com/postback/ef-main?transaction_id={transaction_id}&sub1={sub1}&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}' +
        '&payout={payout}&sale_amount={sale_amount}&event_name={event_name}&event_id={event_id}',
    );
  });

  it('names the configured sub ID when the click id is missing', () => {
    expect(refusal({ sub1: CLICK }, { clickIdParam: 'sub4' }).param).toBe('sub4');
    expect(refusal({ sub1: '{sub1}' }).param).toBe('sub1');
    expect(refusal({ sub1: '   ' }).param).toBe('sub1');
  });

  it('refuses payout and payout_amount that disagree', () => {
    expect(refusal({ sub1: CLICK, payout: '1', payout_amount: '2' }).param).toBe('payout_amount');
  });

  it('accepts payout and payout_amount that agree', () => {
    expect(everflowAdapter.parse(get({ sub1: CLICK, payout: '2', payout_amount: '2' }), { clickIdParam: 'sub1' })).toEqual([{ clickId: CLICK, payout: '2' }]);
  });

  it('names the parameter of a bad amount', () => {
    expect(refusal({ sub1: CLICK, payout_amount: 'abc' }).param).toBe('payout_amount');
    expect(refusal({ sub1: CLICK, sale_amount: '-3' }).param).toBe('sale_amount');
  });

  it('keeps sub6 … sub10 in extras when the user adds them to the URL', () => {
    const [pb] = everflowAdapter.parse(get({ sub1: CLICK, sub10: 'x' }), { clickIdParam: 'sub1' }) as Array<{ extras?: Record<string, string> }>;
    expect(pb.extras).toEqual({ sub10: 'x' });
  });
});
