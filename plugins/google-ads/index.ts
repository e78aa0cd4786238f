import { definePlugin } from '@postwire/plugin-sdk';
import { googleAdsTarget } from './google-ads.target';

export default definePlugin({ targets: [googleAdsTarget] });
