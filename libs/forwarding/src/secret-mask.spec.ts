import { maskHeaders, maskUrl } from './secret-mask';

describe('maskUrl', () => {
  it.each([
    ['https://ts.example/pb?clickid=abc&key=S3CR3T&payout=1.5', 'https://ts.example/pb?clickid=abc&key=***&payout=1.5'],
    [
      'https://ts.example/pb?api_key=a&token=b&secret=c&sig=d&password=e&auth=f',
      'https://ts.example/pb?api_key=***&token=***&secret=***&sig=***&password=***&auth=***',
    ],
    ['https://ts.example/pb?apiKey=a&X-Token=b&signature=c&pwd=d&hash=e', 'https://ts.example/pb?apiKey=***&X-Token=***&signature=***&pwd=***&hash=***'],
    ['https://ts.example/pb?%6Bey=a&c=1', 'https://ts.example/pb?%6Bey=***&c=1'],
    ['https://user:hunter2@ts.example/pb?c=1', 'https://user:***@ts.example/pb?c=1'],
    ['https://ts.example/pb?c=1&token=x#frag', 'https://ts.example/pb?c=1&token=***#frag'],
  ])('masks credentials in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  it('keeps everything else byte for byte', () => {
    for (const url of [
      'https://ts.example/pb',
      'https://ts.example/pb?',
      'https://ts.example/pb?clickid=a%20b%26c&payout=2.5&status=approved&flag&empty=',
      'https://ts.example/a/b?visitor_id=x&aid=123&tid=9',
      'https://user@ts.example/pb?c=1',
    ]) {
      expect(maskUrl(url)).toBe(url);
    }
  });
});

describe('maskHeaders', () => {
  it('masks credential-like headers only', () => {
    expect(maskHeaders({ authorization: 'Bearer x', 'x-api-key': 'y', 'x-campaign': 'spring', 'content-type': 'application/json' })).toEqual({
      authorization: '***',
      'x-api-key': '***',
      'x-campaign': 'spring',
      'content-type': 'application/json',
    });
  });
});
