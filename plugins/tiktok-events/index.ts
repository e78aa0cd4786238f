import { definePlugin } from '@postwire/plugin-sdk';
import { tiktokEventsTarget } from './tiktok-events.target';

export default definePlugin({ targets: [tiktokEventsTarget] });
