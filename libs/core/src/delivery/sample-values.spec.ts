import { renderDelivery } from '../attribution/delivery-plan';
import { sampleDeliveryValues } from './sample-values';

const conversion = {
  externalId: 'ext-1',
  payout: '2.50',
  currency: 'EUR',
  status: 'approved',
  goal: 'sale',
  conversionId: '0b7c1d2e-0000-4000-8000-000000000001',
};

describe('sampleDeliveryValues', () => {
  it('fills every sub id and the conversion values, so no macro goes out literally', () => {
    const values = sampleDeliveryValues('https://s.example/pb?c={external_id}&p={payout}&s1={sub1}&s10={sub10}&g={goal}', conversion);
    const { url } = renderDelivery(
      {
        postbackUrl: 'https://s.example/pb?c={external_id}&p={payout}&s1={sub1}&s10={sub10}&g={goal}',
        method: 'GET',
        bodyFormat: 'json',
        headers: {},
        payoutShare: null,
        statusMap: null,
      },
      values,
    );
    expect(url).toBe('https://s.example/pb?c=ext-1&p=2.50&s1=test-sub1&s10=test-sub10&g=sale');
    expect(url).not.toMatch(/[{}]/);
  });

  it('gives a macro it does not know a sample named after it', () => {
    const values = sampleDeliveryValues('https://s.example/pb?z={Zone_ID}&t={txid}', conversion);
    expect(values.zone_id).toBe('test-zone_id');
    expect(values.txid).toBe('test-0b7c1d2e');
  });
});
