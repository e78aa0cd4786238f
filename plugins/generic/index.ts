import { definePlugin } from '@postwire/plugin-sdk';
import { genericAdapter } from './generic.adapter';

export default definePlugin({ adapters: [genericAdapter] });
