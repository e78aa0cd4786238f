import { Module } from '@nestjs/common';
import { ConversionsModule } from '../conversions';
import { GuardsModule } from '../guards/guards.module';
import { PostbackLogModule } from '../postback-log';
import { PostbackController } from './postback.controller';
import { PostbackService } from './postback.service';

/** `GET|POST /postback[/:network]`: guarded, parsed by the network's adapter, booked by the conversion intake. */
@Module({
  imports: [GuardsModule, ConversionsModule, PostbackLogModule],
  controllers: [PostbackController],
  providers: [PostbackService],
  exports: [PostbackService],
})
export class PostbacksModule {}
