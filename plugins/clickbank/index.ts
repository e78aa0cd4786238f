import { definePlugin } from '@postwire/plugin-sdk';
import { clickbankAdapter } from './clickbank.adapter';

export default definePlugin({ adapters: [clickbankAdapter] });
