import { definePlugin } from '@postwire/plugin-sdk';
import { digistore24Adapter } from './digistore24.adapter';

export default definePlugin({ adapters: [digistore24Adapter] });
