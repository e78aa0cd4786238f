import type { FraudSignal } from '../fraud-signal';

/** One signal as a signal function reads it: everything but the weight, which the scorer adds from the policy. */
export type SignalReading = Omit<FraudSignal, 'weight'>;
