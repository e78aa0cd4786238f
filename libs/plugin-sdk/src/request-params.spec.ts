import { requestParams } from './request-params';
import { buildAdapterRequest } from './request-body';

const post = (body: string) => buildAdapterRequest({ method: 'POST', path: '/postback', contentType: 'application/json', body });

describe('requestParams on JSON bodies', () => {
  it.each<[string, string, string]>([
    ['an array txid', '{"click_id":"c","txid":["A"]}', 'txid'],
    ['an object payout', '{"click_id":"c","payout":{"value":5}}', 'payout'],
    ['a payout of 1e400', '{"click_id":"c","payout":1e400}', 'payout'],
    ['a negative overflow', '{"click_id":"c","amount":-1e400}', 'amount'],
  ])('refuses %s instead of treating it as not sent', (_name, body, param) => {
    expect(() => requestParams(post(body))).toThrow(expect.objectContaining({ param }));
  });

  it('reads scalars and treats null as not sent', () => {
    expect({ ...requestParams(post('{"click_id":"c","payout":2.5,"test":true,"txid":null}')) }).toEqual({ click_id: 'c', payout: '2.5', test: 'true' });
  });
});
