import { definePlugin } from '@postwire/plugin-sdk';
import { metaCapiTarget } from './meta-capi.target';

export default definePlugin({ targets: [metaCapiTarget] });
