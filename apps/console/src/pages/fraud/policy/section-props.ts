import type { operations } from '../../../api/schema';

/** A fraud policy as the admin API takes it (`PUT /api/fraud/campaigns/:id/policy`): every field optional. */
export type FraudPolicyInput = NonNullable<operations['Fraud_setCampaignPolicy']['requestBody']>['content']['application/json'];

/**
 * What each section of the policy form gets. The form is a list of sections, one component per group
 * of settings (thresholds, lists, velocity, …), so a new signal's settings are one new section.
 */
export interface PolicySectionProps {
  /** The policy being edited, with the defaults filled in. */
  policy: FraudPolicyInput;
  /** Merges a change into the edited policy. */
  onChange: (patch: Partial<FraudPolicyInput>) => void;
  /** The server's 400 messages by field path (`blockedIps.3`, `velocity.ipClicksPerMinute`). */
  errors: Readonly<Record<string, string>>;
}
