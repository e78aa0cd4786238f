import { buyerCountry } from './buyer-country';

describe("the buyer's country", () => {
  it("takes the network's country first", () => {
    expect(buyerCountry({ country: 'FR', buyerIp: '81.2.69.142' })).toBe('FR');
  });

  it('places a buyer IP with the offline country data (IPv4, IPv4-mapped IPv6)', () => {
    // 81.2.69.142 is a UK broadband address (as in the fraud scorer's tests).
    expect(buyerCountry({ buyerIp: '81.2.69.142' })).toBe('GB');
    expect(buyerCountry({ buyerIp: '::ffff:81.2.69.142' })).toBe('GB');
  });

  it('is unknown without either, or for an address no country holds', () => {
    expect(buyerCountry({})).toBeUndefined();
    expect(buyerCountry({ buyerIp: '10.1.2.3' })).toBeUndefined();
  });
});
