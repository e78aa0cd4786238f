import { hashPersonalData, isSha256Hex, personalDigestsOf, sha256NormalizedEmail, sha256NormalizedPhone, sha256Trimmed } from './target-hashing';

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

  it('hashes every field of personal data and keeps no raw value', () => {
    const hashed = hashPersonalData({ email: 'Ann@Example.com', phone: '+44 20 7946 0000', externalId: 'u-1' });
    expect(Object.keys(hashed).sort()).toEqual(['email', 'externalId', 'phone']);
    for (const value of Object.values(hashed)) expect(isSha256Hex(value)).toBe(true);
    expect(JSON.stringify(hashed)).not.toMatch(/ann|example|7946|u-1/i);
  });
});

describe('personalDigestsOf', () => {
  it('finds email and phone fields in the query and the body, and gives only their digests', () => {
    const digests = personalDigestsOf({ click_id: 'x', buyer_email: 'John_Smith@gmail.com', body: { phone_no: '+1 650 555 1212' } });
    expect(digests).toEqual({
      email: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      phone: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    });
  });

  it('is undefined when the postback carried none', () => {
    expect(personalDigestsOf({ click_id: 'x', payout: '1', email: '', mail_status: 'sent' })).toBeUndefined();
  });
});
