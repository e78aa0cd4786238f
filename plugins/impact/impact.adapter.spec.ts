import { join } from 'node:path';
import { BadParameterError, buildAdapterRequest } from '@postwire/plugin-sdk';
import { runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { impactAdapter } from './impact.adapter';

runAdapterConformance(impactAdapter, { fixturesDir: join(__dirname, 'fixtures') });

const CLICK = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';
const parse = (query: Record<string, string>, config = { clickIdParam: 'SubId1' }) =>
  impactAdapter.parse(buildAdapterRequest({ method: 'GET', path: '/postback/impact', query }), config);

const refusal = (query: Record<string, string>, config = { clickIdParam: 'SubId1' }): BadParameterError =>
  thrownBy(() => parse(query, config), BadParameterError);

describe('impact adapter', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.adapters).toEqual([impactAdapter]);
  });

  it('gives the URL to paste into Action Lifecycle Events', () => {
    expect(impactAdapter.postbackUrlTemplate('https://t.example.com', { id: 'n1', slug: 'impact' })).toBe(
      'https://t.example.com/postback/impact?SubId1={SubId1}&SubId2={SubId2}&SubId3={SubId3}&ActionId={ActionId}&ActionTrackerId={ActionTrackerId}' +
        '&Status={Status}&Payout={Payout}&Amount={Amount}&Currency={Currency}&DeltaPayout={DeltaPayout}&DeltaAmount={DeltaAmount}' +
        '&StatusDetail={StatusDetail}&CampaignId={CampaignId}&EventDate={EventDate}',
    );
  });

  it.each([
    ['PENDING', 'pending'],
    ['approved', 'approved'],
  ])('maps %p to %s', (Status, status) => {
    expect(parse({ SubId1: CLICK, Status })).toEqual([{ clickId: CLICK, status }]);
  });

  it('maps " Reversed " to refunded, or declined while the action is pending', () => {
    expect(parse({ SubId1: CLICK, Status: ' Reversed ' })).toEqual([{ clickId: CLICK, status: 'refunded', statusByCurrent: { pending: 'declined' } }]);
  });

  it('refuses a negative payout unless the action was reversed', () => {
    expect(refusal({ SubId1: CLICK, Status: 'PENDING', Payout: '-1' }).param).toBe('Payout');
    expect(parse({ SubId1: CLICK, Status: 'REVERSED', Payout: '-1' })).toEqual([
      { clickId: CLICK, status: 'refunded', statusByCurrent: { pending: 'declined' }, extras: { Payout: '-1' } },
    ]);
  });

  it('names the impact.com parameter in errors', () => {
    expect(refusal({ SubId1: CLICK, Status: 'WAITING' }).param).toBe('Status');
    expect(refusal({ SubId1: CLICK, Currency: 'US' }).param).toBe('Currency');
    expect(refusal({ SubId1: CLICK, Amount: 'free' }).param).toBe('Amount');
    expect(refusal({ SubId2: CLICK }, { clickIdParam: 'SubId3' }).param).toBe('SubId3');
  });

  it('reads the click id from another sub ID by configuration', () => {
    expect(parse({ SubId1: 'fb', SubId2: CLICK }, { clickIdParam: 'SubId2' })).toEqual([{ clickId: CLICK, extras: { SubId1: 'fb' } }]);
  });
});
