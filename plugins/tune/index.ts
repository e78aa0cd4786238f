import { definePlugin } from '@postwire/plugin-sdk';
import { tuneAdapter } from './tune.adapter';

export default definePlugin({ adapters: [tuneAdapter] });
