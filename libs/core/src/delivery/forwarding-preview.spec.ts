import type { ForwardingFilter, ForwardingFormat } from '../attribution/delivery-plan';
import { previewForwarding } from './forwarding-preview';

const settings: ForwardingFilter & ForwardingFormat = {
  enabled: true,
  forwardPixel: false,
  goals: null,
  statuses: null,
  postbackUrl: 'https://s.example/pb?cid={external_id}&p={payout}&st={status}',
  method: 'GET',
  bodyFormat: 'json',
  headers: {},
  payoutShare: null,
  statusMap: null,
};
const values = { external_id: 'ext 1', payout: '10', status: 'approved', goal: 'sale', currency: 'USD' };
const conversion = { status: 'approved' as const, goal: 'sale', source: 's2s' as const };

describe('previewForwarding', () => {
  it('renders the request a real delivery would send, with the payout share', () => {
    const preview = previewForwarding({ ...settings, payoutShare: { type: 'percent', value: '70' } }, conversion, values);
    expect(preview).toEqual({
      forwarded: true,
      reason: null,
      request: { method: 'GET', url: 'https://s.example/pb?cid=ext%201&p=7&st=approved', body: null, headers: {} },
    });
  });

  it('says which rule holds the conversion back', () => {
    expect(previewForwarding({ ...settings, statuses: ['pending'] }, conversion, values).reason).toBe('status "approved" is not among the statuses forwarded');
    expect(previewForwarding({ ...settings, goals: [''] }, conversion, values).reason).toBe('goal "sale" is not among the goals forwarded');
    expect(previewForwarding({ ...settings, enabled: false }, conversion, values).forwarded).toBe(false);
    expect(previewForwarding(settings, { ...conversion, source: 'pixel' }, values).reason).toMatch(/pixel/);
  });

  it('sends a fixed payout in its own currency', () => {
    const preview = previewForwarding(
      { ...settings, postbackUrl: 'https://s.example/pb?p={payout}&c={currency}', payoutShare: { type: 'fixed', value: '1.5', currency: 'EUR' } },
      conversion,
      values,
    );
    expect(preview.request.url).toBe('https://s.example/pb?p=1.5&c=EUR');
  });
});
