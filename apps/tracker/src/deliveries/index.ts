// The public surface of deliveries/ for other features (ESLint refuses imports of its other files from outside).
export { DeliveriesModule } from './deliveries.module';
export { deliveryAttemptView } from './delivery-views';
