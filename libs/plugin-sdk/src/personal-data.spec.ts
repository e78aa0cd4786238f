import { PERSONAL_DATA_REMOVED, withoutPersonalData } from './personal-data';

describe('withoutPersonalData', () => {
  const patterns = [/^(address|buyer)_/, /^email$/];

  it('replaces the values of matching query and body fields, and keeps every other field as sent', () => {
    const logged = withoutPersonalData(
      { email: 'a@b.example', order_id: 'X1', body: { buyer_first_name: 'Ann', address_city: 'Köln', amount: '9.90', product_name: 'Course' } },
      patterns,
    );
    expect(logged).toEqual({
      email: PERSONAL_DATA_REMOVED,
      order_id: 'X1',
      body: { buyer_first_name: PERSONAL_DATA_REMOVED, address_city: PERSONAL_DATA_REMOVED, amount: '9.90', product_name: 'Course' },
    });
  });

  it('leaves empty values empty, so the log still shows the field was not filled', () => {
    expect(withoutPersonalData({ email: '', address_phone_no: null }, patterns)).toEqual({ email: '', address_phone_no: null });
  });

  it('returns the parameters untouched when the adapter declares no personal data', () => {
    const params = { email: 'a@b.example' };
    expect(withoutPersonalData(params, undefined)).toBe(params);
  });
});
