// The public surface of clicks/ for other features (ESLint refuses imports of its other files from outside).
export { CampaignRoutes } from './campaign-routes';
export { ClicksModule } from './clicks.module';
export { clickIdFromCookie } from './click-cookie';
