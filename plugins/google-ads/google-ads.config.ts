import type { ConfigOf, ConfigSchema } from '@postwire/plugin-sdk';

/**
 * The settings of a Google Ads target. Secrets (developer token, OAuth client secret, refresh
 * token) are sealed at rest and masked by the runtime, like adapter secrets.
 */
export const GOOGLE_ADS_CONFIG = {
  customerId: {
    type: 'string',
    title: 'Customer ID',
    description: 'The Google Ads account that owns the conversion action (10 digits; dashes allowed)',
    help: 'Shown at the top right of Google Ads, e.g. 123-456-7890',
    required: true,
  },
  conversionAction: {
    type: 'string',
    title: 'Conversion action',
    description: 'The conversion action ID, or its resource name customers/<customer id>/conversionActions/<id>',
    help: 'Google Ads › Goals › Conversions: create an action with the source "Import from clicks"; its ID is the ctId in the URL of its page',
    required: true,
  },
  loginCustomerId: {
    type: 'string',
    title: 'Login customer ID',
    description: 'The manager account through which the OAuth user reaches the account, when there is one',
    help: 'Leave empty when the user has direct access to the account',
  },
  developerToken: {
    type: 'string',
    title: 'Developer token',
    description: 'Your Google Ads API developer token',
    help: 'Google Ads (manager account) › Tools › API Center',
    required: true,
    secret: true,
  },
  clientId: {
    type: 'string',
    title: 'OAuth client ID',
    description: 'The OAuth 2.0 client the refresh token was issued to',
    help: 'Google Cloud console › APIs & Services › Credentials',
    required: true,
  },
  clientSecret: { type: 'string', title: 'OAuth client secret', description: 'The secret of that OAuth client', required: true, secret: true },
  refreshToken: {
    type: 'string',
    title: 'Refresh token',
    description: 'A refresh token for the scope https://www.googleapis.com/auth/adwords',
    help: 'Obtained once for a user with access to the account (e.g. with the OAuth 2.0 Playground and your own client)',
    required: true,
    secret: true,
  },
  timeZone: {
    type: 'string',
    title: 'Time zone',
    description: 'IANA time zone of the conversion times sent (conversion_date_time carries its offset)',
    help: "Use the Google Ads account's time zone so the times read the same in Google Ads, e.g. America/New_York",
    default: 'UTC',
  },
  value: {
    type: 'string',
    title: 'Conversion value',
    description: 'Which amount is sent as conversion_value',
    enum: ['payout', 'revenue', 'none'],
    default: 'payout',
  },
  adUserDataConsent: {
    type: 'string',
    title: 'Consent: ad user data',
    description: 'consent.ad_user_data sent with each conversion',
    help: 'GRANTED when your visitors consented to their data being sent to Google for advertising (required for EEA users); UNSPECIFIED sends nothing',
    enum: ['UNSPECIFIED', 'GRANTED', 'DENIED'],
    default: 'UNSPECIFIED',
  },
  userIdentifiers: {
    type: 'boolean',
    title: 'Enhanced conversions',
    description: 'Send the hashed email and phone the network passed as user identifiers',
    help: 'Needs the customer data terms accepted in Google Ads (Goals › Settings › Enhanced conversions for leads)',
    default: true,
  },
  apiVersion: {
    type: 'string',
    title: 'API version',
    description: 'The Google Ads API version called, e.g. v26',
    help: 'Pinned so that a version change is deliberate; Google retires each version about a year after its release',
    default: 'v26',
  },
  apiBaseUrl: {
    type: 'string',
    title: 'API base URL',
    description: 'Where the Google Ads API is reached',
    help: 'Leave the default unless you route through a proxy',
    default: 'https://googleads.googleapis.com',
  },
  tokenUrl: {
    type: 'string',
    title: 'OAuth token URL',
    description: "Google's OAuth 2.0 token endpoint",
    help: 'Leave the default unless you route through a proxy',
    default: 'https://oauth2.googleapis.com/token',
  },
} as const satisfies ConfigSchema;

export type GoogleAdsConfig = ConfigOf<typeof GOOGLE_ADS_CONFIG>;
