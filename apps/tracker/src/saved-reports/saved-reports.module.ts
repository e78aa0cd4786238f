import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { SavedReportsController } from './saved-reports.controller';

/** Saved reports of console users. */
@Module({ imports: [AccessModule], controllers: [SavedReportsController] })
export class SavedReportsModule {}
