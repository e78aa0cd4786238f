import { createHash } from 'node:crypto';
import {
  hashPersonalData,
  isSha256Hex,
  personalDigestsFor,
  personalDigestsOf,
  sha256NormalizedEmail,
  sha256NormalizedPhone,
  sha256Trimmed,
} from './target-hashing';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('target hashing', () => {
  // Meta's worked examples, Customer Information Parameters:
  // https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
  it('normalises and hashes an email as Meta documents', () => {
    expect(sha256NormalizedEmail('  John_Smith@gmail.com ')).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
  });

  it('normalises and hashes a phone as Meta documents (symbols removed, country code kept)', () => {
    expect(sha256NormalizedPhone('+1 (650) 555-1212')).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
    expect(sha256NormalizedPhone('001 650 555 1212')).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
  });

  it('passes a digest through instead of hashing it twice', () => {
    const digest = sha256NormalizedEmail('a@b.example')!;
    expect(sha256NormalizedEmail(digest.toUpperCase())).toBe(digest);
    expect(sha256NormalizedPhone(digest)).toBe(digest);
    expect(sha256Trimmed(digest)).toBe(digest);
  });

  it('gives nothing for empty values', () => {
    expect(sha256NormalizedEmail('  ')).toBeUndefined();
    expect(sha256NormalizedPhone('abc')).toBeUndefined();
    expect(sha256Trimmed(undefined)).toBeUndefined();
    expect(hashPersonalData({ email: ' ', phone: '' })).toEqual({});
  });

  it('hashes every field of personal data, once per normalisation, and keeps no raw value', () => {
    const hashed = hashPersonalData({ email: 'Ann@Example.com', phone: '+44 20 7946 0000', externalId: 'u-1' });
    expect(Object.keys(hashed).sort()).toEqual(['email', 'externalId', 'phone']);
    expect(Object.keys(hashed.email!).sort()).toEqual(['google', 'lowercase']);
    expect(Object.keys(hashed.phone!).sort()).toEqual(['digits', 'e164']);
    for (const value of [...Object.values(hashed.email!), ...Object.values(hashed.phone!), hashed.externalId!]) expect(isSha256Hex(value)).toBe(true);
    expect(JSON.stringify(hashed)).not.toMatch(/ann|example|7946|u-1/i);
  });

  // Google: https://developers.google.com/google-ads/api/docs/conversions/upload-online (gmail dots removed, E.164 with +).
  // TikTok: Events API 2.0 parameters, phone "+12133734253" (E.164 with +), email trimmed and lower case.
  it("keeps each platform's digest: Meta's digits-only phone, Google's and TikTok's E.164, Google's dotless gmail", () => {
    const hashed = hashPersonalData({ email: ' John.Smith@GMail.com ', phone: '+1 (650) 555-1212' });
    expect(hashed.phone).toEqual({ digits: sha256('16505551212'), e164: sha256('+16505551212') });
    expect(hashed.email).toEqual({ lowercase: sha256('john.smith@gmail.com'), google: sha256('johnsmith@gmail.com') });
    expect(personalDigestsFor(hashed)).toEqual({ email: sha256('john.smith@gmail.com'), phone: sha256('16505551212') });
    expect(personalDigestsFor(hashed, { email: 'google', phone: 'e164' })).toEqual({ email: sha256('johnsmith@gmail.com'), phone: sha256('+16505551212') });
    expect(personalDigestsFor(hashed, { email: 'lowercase', phone: 'e164' })).toEqual({ email: sha256('john.smith@gmail.com'), phone: sha256('+16505551212') });
  });

  it('leaves out a phone without its country code from E.164, and an email that is not an address', () => {
    expect(hashPersonalData({ phone: '030 1234567', email: 'not an address' })).toEqual({ phone: { digits: sha256('301234567') } });
  });

  it("reads a digest stored as a bare string as the default normalisation's only", () => {
    const legacy = { email: sha256('a@b.example'), phone: sha256('4930123'), externalId: sha256('x') };
    expect(personalDigestsFor(legacy)).toEqual(legacy);
    expect(personalDigestsFor(legacy, { email: 'google', phone: 'e164' })).toEqual({ externalId: sha256('x') });
  });
});

describe('personalDigestsOf', () => {
  it('finds email and phone fields in the query and the body, and gives only their digests', () => {
    const digests = personalDigestsOf({ click_id: 'x', buyer_email: 'John_Smith@gmail.com', body: { phone_no: '+1 650 555 1212' } });
    expect(digests).toEqual({
      email: { lowercase: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f', google: sha256('john_smith@gmail.com') },
      phone: { digits: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176', e164: sha256('+16505551212') },
    });
  });

  it('is undefined when the postback carried none', () => {
    expect(personalDigestsOf({ click_id: 'x', payout: '1', email: '', mail_status: 'sent' })).toBeUndefined();
  });
});
