import { withFraudDefaults } from './fraud-policy';
import { layerFraudPolicies } from './policy-layers';

describe('layerFraudPolicies', () => {
  it("lays the campaign's fields over the offer's: the campaign's win, the offer's others stay", () => {
    expect(layerFraudPolicies({ flagScore: 30, action: 'hold', blockedIps: ['10.0.0.0/8'] }, { flagScore: 50, blockedIps: [] })).toEqual({
      flagScore: 50,
      action: 'hold',
      blockedIps: [],
    });
  });

  it('merges the velocity and duplicates groups per threshold, so a campaign setting one keeps the offer’s others', () => {
    const layered = layerFraudPolicies(
      { velocity: { ipClicksPerMinute: 20, ipUaClicksPerMinute: 10, subParams: ['sub2'] }, duplicates: { ipConversionsPerDay: 5 } },
      { velocity: { ipClicksPerMinute: 200, subClicksPerMinute: null }, duplicates: { deviceConversionsPerDay: null } },
    );
    expect(layered.velocity).toEqual({ ipClicksPerMinute: 200, ipUaClicksPerMinute: 10, subParams: ['sub2'], subClicksPerMinute: null });
    expect(layered.duplicates).toEqual({ ipConversionsPerDay: 5, deviceConversionsPerDay: null });
    // Over the defaults, what neither names keeps Postwire's value.
    expect(withFraudDefaults(layered).velocity.ipConversionsPerHour).toBe(10);
  });

  it('takes a group from whichever layer has one, and stands for the defaults when neither has a policy', () => {
    expect(layerFraudPolicies(null, { velocity: { ipClicksPerMinute: 5 } })).toEqual({ velocity: { ipClicksPerMinute: 5 } });
    expect(layerFraudPolicies({ duplicates: { ipConversionsPerDay: 2 } }, undefined)).toEqual({ duplicates: { ipConversionsPerDay: 2 } });
    expect(layerFraudPolicies(null, null)).toEqual({});
  });

  it('leaves its inputs as they were (a cached route shares its offer policy)', () => {
    const offer = { velocity: { ipClicksPerMinute: 20 } };
    layerFraudPolicies(offer, { velocity: { ipUaClicksPerMinute: 3 } });
    expect(offer).toEqual({ velocity: { ipClicksPerMinute: 20 } });
  });
});
