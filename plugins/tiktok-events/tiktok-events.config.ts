import type { ConfigOf, ConfigSchema } from '@postwire/plugin-sdk';

/** The settings of a TikTok Events API target; the access token is sealed at rest and masked. */
export const TIKTOK_EVENTS_CONFIG = {
  pixelCode: {
    type: 'string',
    title: 'Pixel code',
    description: 'The TikTok pixel the events belong to (sent as event_source_id)',
    help: 'TikTok Ads Manager › Assets › Events › Web events: the pixel ID, e.g. CABCD1234567890XYZ',
    required: true,
  },
  accessToken: {
    type: 'string',
    title: 'Access token',
    description: 'The Events API access token of that pixel (sent in the Access-Token header)',
    help: "The pixel's Settings tab › Events API › Generate access token",
    required: true,
    secret: true,
  },
  testEventCode: {
    type: 'string',
    title: 'Test event code',
    description: 'Sent with test conversions only, so they show in the pixel\'s "Test events" tab and never count',
    help: 'The pixel\'s "Test events" tab; without it, test conversions are not sent to TikTok at all',
  },
  value: {
    type: 'string',
    title: 'Event value',
    description: 'Which amount is sent as properties.value',
    enum: ['payout', 'revenue', 'none'],
    default: 'payout',
  },
  requireTtclid: {
    type: 'boolean',
    title: 'Only clicks from TikTok ads',
    description: 'Send only conversions whose click carried a ttclid',
    help: 'Turn off to also send conversions matched by the _ttp cookie, email or phone alone',
    default: true,
  },
  apiBaseUrl: {
    type: 'string',
    title: 'API base URL',
    description: "Where TikTok's Business API is reached",
    help: 'Leave the default unless you route through a proxy',
    default: 'https://business-api.tiktok.com',
  },
  apiVersion: {
    type: 'string',
    title: 'API version',
    description: 'The Business API version in the path (Events API 2.0 is served under v1.3)',
    default: 'v1.3',
  },
} as const satisfies ConfigSchema;

export type TikTokEventsConfig = ConfigOf<typeof TIKTOK_EVENTS_CONFIG>;
