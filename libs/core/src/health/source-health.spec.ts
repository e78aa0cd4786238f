import { DEFAULT_SOURCE_HEALTH_THRESHOLDS, describeSourceFailure, sourceFailingReason } from './source-health';

const healthy = { consecutiveFailures: 0, recentAttempts: 0, recentFailures: 0 };

describe('source health', () => {
  it('is failing after N failures in a row, and not one sooner', () => {
    expect(sourceFailingReason({ ...healthy, consecutiveFailures: 4, recentAttempts: 4, recentFailures: 4 })).toBeNull();
    expect(sourceFailingReason({ ...healthy, consecutiveFailures: 5, recentAttempts: 5, recentFailures: 5 })).toBe('consecutive_failures');
    expect(sourceFailingReason({ ...healthy, consecutiveFailures: 2 }, { ...DEFAULT_SOURCE_HEALTH_THRESHOLDS, consecutiveFailures: 2 })).toBe(
      'consecutive_failures',
    );
  });

  it('is failing when the share of failures in the window reaches the ratio, given enough attempts', () => {
    expect(sourceFailingReason({ consecutiveFailures: 1, recentAttempts: 20, recentFailures: 9 })).toBeNull();
    expect(sourceFailingReason({ consecutiveFailures: 1, recentAttempts: 20, recentFailures: 10 })).toBe('failure_ratio');
    // Too few attempts to judge a ratio: 4 of 4 is not yet failing by ratio (nor by 5 in a row).
    expect(sourceFailingReason({ consecutiveFailures: 0, recentAttempts: 9, recentFailures: 9 })).toBeNull();
    expect(
      sourceFailingReason({ consecutiveFailures: 0, recentAttempts: 4, recentFailures: 3 }, { consecutiveFailures: 5, failureRatio: 0.7, minAttempts: 4 }),
    ).toBe('failure_ratio');
  });

  it('recovers by itself: a success resets the run and an empty window holds no ratio', () => {
    expect(sourceFailingReason(healthy)).toBeNull();
    expect(sourceFailingReason({ consecutiveFailures: 0, recentAttempts: 30, recentFailures: 10 })).toBeNull();
  });

  it('says why in plain words', () => {
    expect(describeSourceFailure('consecutive_failures', { consecutiveFailures: 7, recentAttempts: 7, recentFailures: 7 })).toBe(
      'the last 7 delivery attempts failed',
    );
    expect(describeSourceFailure('failure_ratio', { consecutiveFailures: 1, recentAttempts: 20, recentFailures: 12 })).toContain('12 of 20');
  });
});
