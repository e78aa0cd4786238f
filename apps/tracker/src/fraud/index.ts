// The public surface of fraud/ for other features (ESLint refuses imports of its other files from outside).
export { FraudModule } from './fraud.module';
export { HoldExpiry } from './hold-expiry';
export { conversionFraudView } from './fraud-views';
export { buyerCountry } from './buyer-country';
