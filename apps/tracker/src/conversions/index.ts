// The public surface of conversions/ for other features (ESLint refuses imports of its other files from outside).
export { ConversionIntake } from './conversion-intake';
export { ConversionsModule } from './conversions.module';
