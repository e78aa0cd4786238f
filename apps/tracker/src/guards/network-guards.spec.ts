import { ApiError } from '../http/api-error';
import { mergeGuards, networkGuardsSchema } from './network-guards';

describe('mergeGuards', () => {
  it('stores allowlists in canonical form and merges field by field', () => {
    const stored = mergeGuards({ ipAllowlist: ['203.0.113.7', '::ffff:10.0.0.0/104', '2001:DB8::/32'] });
    expect(stored).toEqual({ ipAllowlist: ['203.0.113.7/32', '10.0.0.0/8', '2001:db8::/32'] });
    expect(mergeGuards({ requireApiKey: true }, stored)).toEqual({ ...stored, requireApiKey: true });
    expect(mergeGuards({ ipAllowlist: [], requireApiKey: false }, { ...stored, requireApiKey: true, requireSignature: true })).toEqual({
      requireSignature: true,
    });
  });

  it.each([
    [['10.0.0.1/8'], 0],
    [['203.0.113.0/24', '127.1'], 1],
    [['::1', '0x7f.0.0.1'], 1],
    [['1.2.3.4', 7], 1],
    [['', '1.2.3.4'], 0],
  ])('names the bad entry of %p', (ipAllowlist, index) => {
    let error: unknown;
    try {
      mergeGuards({ ipAllowlist });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).getResponse()).toMatchObject({ error: 'bad_parameter', param: `guards.ipAllowlist[${index}]` });
  });

  it('accepts only the three guards', () => {
    expect(networkGuardsSchema.safeParse({ requireEverything: true }).success).toBe(false);
    expect(networkGuardsSchema.safeParse({ requireApiKey: 'yes' }).success).toBe(false);
  });
});
