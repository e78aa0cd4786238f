import { Injectable } from '@nestjs/common';
import { PostbackRecorder, type InboundConversion, type LoggedOnlyPostback, type RecordResult } from '@postwire/persistence';
import { DeliveryQueue } from '@postwire/runtime';

/**
 * The one way a conversion event enters Postwire, for postbacks and pixels alike: the recorder's
 * transaction, then the deliveries it wrote handed to the queue. The enqueue is not awaited: the
 * deliveries are already safe in Postgres, and DeliveryQueue logs a failed add and leaves it to the
 * sweeper, so Redis trouble never changes the answer.
 */
@Injectable()
export class ConversionIntake {
  constructor(
    private readonly recorder: PostbackRecorder,
    private readonly queue: DeliveryQueue,
  ) {}

  /** Records one event (see PostbackRecorder.record), then enqueues the deliveries it owes. */
  async record(input: InboundConversion): Promise<RecordResult> {
    const result = await this.recorder.record(input);
    void this.queue.enqueue(result.deliveryIds);
    return result;
  }

  /** Logs a postback that books nothing (see PostbackRecorder.logOnly); it owes no delivery. */
  logOnly(input: LoggedOnlyPostback): Promise<RecordResult> {
    return this.recorder.logOnly(input);
  }
}
