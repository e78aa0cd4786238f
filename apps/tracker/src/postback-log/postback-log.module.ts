import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { PostbackLogController } from './postback-log.controller';
import { RefusalLog } from './refusal-log';

/** The postback log: every postback and pixel hit received, with its outcome. */
@Module({ imports: [AccessModule], controllers: [PostbackLogController], providers: [RefusalLog], exports: [RefusalLog] })
export class PostbackLogModule {}
