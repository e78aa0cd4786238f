import { definePlugin } from '@postwire/plugin-sdk';
import { ipReputationFileScorer } from './ip-reputation-file.scorer';

// The file is named by the environment; unset, the scorer answers "not supported" and adds nothing.
export default definePlugin({ scorers: [ipReputationFileScorer({ path: process.env.IP_REPUTATION_FILE || undefined })] });
