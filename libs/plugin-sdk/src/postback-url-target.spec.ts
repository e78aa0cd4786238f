import { runTargetConformance } from './testing';
import { postbackUrlTarget } from './postback-url-target';
import { testTargetContext } from './testing/target-conformance';

runTargetConformance(postbackUrlTarget, { config: { url: 'https://source.example/pb?cid={external_id}&p={payout}&s={status}', method: 'GET' } });

describe('postback-url target', () => {
  it('fills the URL template exactly as a traffic source postback does', () => {
    const result = postbackUrlTarget.build(
      {
        id: 'c-1',
        status: 'approved',
        previousStatus: null,
        goal: 'sale',
        txid: 't 1',
        payout: '12.50',
        revenue: null,
        currency: 'USD',
        occurredAt: new Date(),
        click: { id: 'CLICK', at: new Date(), ip: null, userAgent: null, country: null, landingUrl: null, identifiers: {} },
        personal: {},
        isTest: false,
      },
      { url: 'https://s.example/pb?click={click_id}&p={payout}&tx={txid}', method: 'GET', bodyFormat: 'json' },
      testTargetContext(new Date()),
    );
    expect(result).toEqual({
      kind: 'send',
      event: null,
      request: { method: 'GET', url: 'https://s.example/pb?click=CLICK&p=12.50&tx=t%201', body: null, headers: {} },
    });
  });
});
