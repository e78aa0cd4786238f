import type { ComponentType } from 'react';
import { BotSafeUrlSection } from './BotSafeUrlSection';
import { CtitSection } from './CtitSection';
import { HoldSection } from './HoldSection';
import { ListsSection } from './ListsSection';
import { ScoresSection } from './ScoresSection';
import { SignalsSection } from './SignalsSection';
import { VelocitySection } from './VelocitySection';
import type { FraudPolicyInput, PolicySectionProps } from './section-props';
import { WeightsSection } from './WeightsSection';

/** One section of the policy form: its heading, its component, and the policy fields it edits (to show which are set here). */
export interface PolicySection {
  title: string;
  component: ComponentType<PolicySectionProps>;
  fields: ReadonlyArray<keyof FraudPolicyInput>;
}

/** The policy form, in order. A new signal's settings are one more entry here (its own `<Name>Section.tsx`). */
export const POLICY_SECTIONS: readonly PolicySection[] = [
  { title: 'Scores and action', component: ScoresSection, fields: ['flagScore', 'actionScore', 'action'] },
  { title: 'Click-to-conversion time', component: CtitSection, fields: ['ctitMinSeconds', 'ctitMaxSeconds'] },
  { title: 'Lists', component: ListsSection, fields: ['blockedIps', 'blockedUserAgents', 'blockedSubs', 'extraHostingAsns'] },
  { title: 'Hold expiry', component: HoldSection, fields: ['holdHours', 'holdExpiry'] },
  { title: 'Bot safe URL', component: BotSafeUrlSection, fields: ['botSafeUrl'] },
  { title: 'Velocity and duplicates', component: VelocitySection, fields: ['velocity', 'duplicates'] },
  { title: 'Geo mismatch and conversion rates', component: SignalsSection, fields: ['geoMismatch', 'conversionRate'] },
  { title: 'Weights', component: WeightsSection, fields: ['weights'] },
];
