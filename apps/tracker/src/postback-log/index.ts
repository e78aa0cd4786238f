// The public surface of postback-log/ for other features (ESLint refuses imports of its other files from outside).
export { PostbackLogModule } from './postback-log.module';
export { postbackLogView } from './postback-log-views';
export { logHookRefusals, RefusalLog, type RefusedContext } from './refusal-log';
