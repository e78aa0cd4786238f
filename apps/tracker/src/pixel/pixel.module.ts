import { Module } from '@nestjs/common';
import { ConversionsModule } from '../conversions';
import { GuardsModule } from '../guards/guards.module';
import { PostbackLogModule } from '../postback-log';
import { PixelController } from './pixel.controller';
import { PixelService } from './pixel.service';

/** `GET /pixel.gif`: browser-side conversions, booked by the same intake as postbacks. */
@Module({ imports: [GuardsModule, ConversionsModule, PostbackLogModule], controllers: [PixelController], providers: [PixelService] })
export class PixelModule {}
