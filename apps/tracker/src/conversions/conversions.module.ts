import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ConversionExport } from './conversion-export';
import { ConversionIntake } from './conversion-intake';
import { ConversionTraceController } from './conversion-trace.controller';
import { ConversionsController } from './conversions.controller';

/** Conversions: booking one (the intake postbacks/ and pixel/ call), listing, exporting and tracing them. */
@Module({
  imports: [AccessModule],
  controllers: [ConversionsController, ConversionTraceController],
  providers: [ConversionIntake, ConversionExport],
  exports: [ConversionIntake],
})
export class ConversionsModule {}
