import { definePlugin } from '@postwire/plugin-sdk';
import { impactAdapter } from './impact.adapter';

export default definePlugin({ adapters: [impactAdapter] });
