import { definePlugin } from '@postwire/plugin-sdk';
import { everflowAdapter } from './everflow.adapter';

export default definePlugin({ adapters: [everflowAdapter] });
