import * as security from '@postwire/security';

describe('@postwire/security', () => {
  it('exports the whole public API through the path alias', () => {
    const expected = [
      'parseIpAddress',
      'formatIpAddress',
      'IpAllowlist',
      'IpAllowlistError',
      'resolveClientIp',
      'constantTimeEqual',
      'DEFAULT_TOLERANCE_SEC',
      'isFreshTimestamp',
      'canonicalGetString',
      'signGet',
      'verifyGetSignature',
      'GET_SIGNATURE_PARAM',
      'GET_TIMESTAMP_PARAM',
      'signWebhook',
      'verifyWebhook',
      'newWebhookSecret',
      'RedisReplayStore',
      'REPLAY_KEY_PREFIX',
      'replayTtlSec',
      'newApiKey',
      'hashApiKey',
      'sameHash',
      'SecretBox',
      'SecretBoxError',
      'isPublicAddress',
      'isOutboundAddressAllowed',
      'AddressNotAllowedError',
      'createGuardedLookup',
      'assertUrlAllowed',
      'createGuardedConnector',
      'checkParams',
      'safeLogValue',
      'checkInputTree',
      'badCharacter',
      'hashPassword',
      'verifyPassword',
      'decoyPasswordHash',
      'newPassword',
    ];
    expect(Object.keys(security).sort()).toEqual(expected.sort());
  });
});
