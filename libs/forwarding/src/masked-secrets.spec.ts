import { credentialHeaderNames, keepMaskedHeaders, keepMaskedUrl, MaskWithoutValue, sameDestination } from './masked-secrets';
import { maskHeaders, maskUrl } from './secret-mask';

describe('masked secrets sent back', () => {
  const stored = 'https://user:s3cret@partner.example/pb?token=abc123&cid={click_id}&sig=zz';

  it('keeps the stored values where the URL shows `***`, and nothing else changes', () => {
    expect(keepMaskedUrl(maskUrl(stored), stored)).toEqual({ value: stored, kept: 3 });
    const edited = maskUrl(stored).replace('cid=', 'click=');
    expect(keepMaskedUrl(edited, stored)).toEqual({ value: stored.replace('cid=', 'click='), kept: 3 });
    expect(keepMaskedUrl('https://partner.example/pb?token=new', stored)).toEqual({ value: 'https://partner.example/pb?token=new', kept: 0 });
  });

  it('refuses a mask with no stored value behind it, naming the parameter', () => {
    expect(() => keepMaskedUrl('https://partner.example/pb?api_key=***', stored)).toThrow(MaskWithoutValue);
    expect(() => keepMaskedUrl('https://partner.example/pb?api_key=***', stored)).toThrow('postbackUrl (api_key)');
    expect(() => keepMaskedHeaders({ 'X-Partner-Key': '***' }, {})).toThrow('headers.X-Partner-Key');
  });

  it('keeps masked header values, and takes new ones as given', () => {
    const headers = { authorization: 'Bearer t0k', 'x-partner-key': 'pk', accept: 'text/plain' };
    expect(keepMaskedHeaders(maskHeaders(headers), headers)).toEqual({ value: headers, kept: 2 });
    expect(keepMaskedHeaders({ ...maskHeaders(headers), authorization: 'Bearer new' }, headers)).toEqual({
      value: { ...headers, authorization: 'Bearer new' },
      kept: 1,
    });
    expect(credentialHeaderNames(headers)).toEqual(['authorization', 'x-partner-key']);
  });

  it('compares destinations by scheme, host and port only', () => {
    expect(sameDestination('https://a.example/x?{click_id}', 'https://A.example:443/y')).toBe(true);
    expect(sameDestination('https://a.example/x', 'http://a.example/x')).toBe(false);
    expect(sameDestination('https://a.example/x', 'https://a.example:8443/x')).toBe(false);
    expect(sameDestination('https://a.example.evil.test/x', 'https://a.example/x')).toBe(false);
  });
});
