import { definePlugin } from '@postwire/plugin-sdk';
import { PRESETS } from './presets';

export default definePlugin({ presets: PRESETS });
