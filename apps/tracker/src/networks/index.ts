// The public surface of networks/ for other features (ESLint refuses imports of its other files from outside).
export { NetworksModule } from './networks.module';
export { fillTestQuery } from './test-postback.controller';
