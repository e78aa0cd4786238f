import { pausedClickTarget } from './click.service';

describe('pausedClickTarget', () => {
  it("sends a paused campaign's click to its own fallback URL first", () => {
    expect(pausedClickTarget({ pausedUrl: 'https://own.example/' }, 'https://default.example/')).toBe('https://own.example/');
  });

  it("falls back to the install's PAUSED_CAMPAIGN_URL", () => {
    expect(pausedClickTarget({ pausedUrl: null }, 'https://default.example/')).toBe('https://default.example/');
  });

  it('has nowhere to send it without either (the link answers 404 campaign_paused)', () => {
    expect(pausedClickTarget({ pausedUrl: null }, undefined)).toBeNull();
  });
});
