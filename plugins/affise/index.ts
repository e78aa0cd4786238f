import { definePlugin } from '@postwire/plugin-sdk';
import { affiseAdapter } from './affise.adapter';

export default definePlugin({ adapters: [affiseAdapter] });
