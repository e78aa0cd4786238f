import { fieldOf, placeError, withoutParam } from './field-errors';

const refusal = (status: number, message: string, param?: string) => Object.assign(new Error(message), { status, param });

describe('field errors from the API', () => {
  it('drops the parameter path the message starts with, however often it repeats', () => {
    expect(withoutParam('url: url: must be an http(s) URL', 'url')).toBe('must be an http(s) URL');
    expect(withoutParam('must be an http(s) URL', 'url')).toBe('must be an http(s) URL');
    expect(withoutParam('name: is required', undefined)).toBe('name: is required');
  });

  it('finds the field a path belongs to, the longest one first', () => {
    expect(fieldOf('url', ['name', 'url'])).toBe('url');
    expect(fieldOf('guards.ipAllowlist.2', ['guards', 'guards.ipAllowlist'])).toBe('guards.ipAllowlist');
    expect(fieldOf('urlx', ['url'])).toBeUndefined();
  });

  it('puts a 400 on its field, in plain words', () => {
    expect(placeError(refusal(400, 'url: must be an http(s) URL', 'url'), ['name', 'url'])).toEqual({ field: 'url', message: 'Must be an http(s) URL' });
    expect(placeError(refusal(400, 'rates.0.rate: must be a non-negative decimal number', 'rates.0.rate'), ['rates'])).toEqual({
      field: 'rates',
      message: 'Item 1, rate: must be a non-negative decimal number',
    });
    expect(placeError(refusal(400, 'guards.ipAllowlist[2]: not an address', 'guards.ipAllowlist[2]'), ['guards.ipAllowlist'])).toEqual({
      field: 'guards.ipAllowlist',
      message: 'Item 3: not an address',
    });
  });

  it('keeps for the whole form a 400 on no field of it, and every other refusal', () => {
    expect(placeError(refusal(400, 'costParam: is required', 'costParam'), ['name'])).toEqual({ field: null, message: 'costParam: is required' });
    expect(placeError(refusal(409, 'Offer is used by campaign "Summer Push"'), ['name'])).toEqual({
      field: null,
      message: 'Offer is used by campaign "Summer Push"',
    });
    expect(placeError(new Error('boom'), ['name'])).toEqual({ field: null, message: 'boom' });
    expect(placeError(null, ['name'])).toBeNull();
  });
});
