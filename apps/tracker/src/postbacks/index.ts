// The public surface of postbacks/ for other features (ESLint refuses imports of its other files from outside).
export { PostbacksModule } from './postbacks.module';
export { PostbackService, type PostbackReply } from './postback.service';
