import { conversionLabel } from './conversion-label';

describe('conversionLabel', () => {
  it('shows the payout formatted with its currency, as the rest of the console does', () => {
    expect(conversionLabel({ id: '0123456789abcdef', status: 'approved', goal: '', payout: '1234.5', currency: 'EUR' })).toBe(
      'approved · default goal · 1,234.50 EUR · 01234567',
    );
    expect(conversionLabel({ id: 'fedcba9876543210', status: 'pending', goal: 'rebill', payout: '2.134627', currency: 'JPY', isTest: true })).toBe(
      'pending · rebill · 2 JPY · test · fedcba98',
    );
  });

  it('shows a dash for a conversion without payout', () => {
    expect(conversionLabel({ id: 'aaaaaaaabbbb', status: 'declined', goal: '', payout: null, currency: 'USD' })).toBe('declined · default goal · — · aaaaaaaa');
  });
});
