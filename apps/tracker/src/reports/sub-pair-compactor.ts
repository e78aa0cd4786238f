import { Inject, Injectable, Logger } from '@nestjs/common';
import { SubPairRollups } from '@postwire/persistence';
import { SubValueCompactor, type BucketRollups } from './sub-value-compactor';

/**
 * Fills sub_pair_rollups (migration 034, the bounded grain of `groupBy=sub1,sub2` reports) in the
 * background exactly as {@link SubValueCompactor} fills the value rollups: history after an upgrade
 * newest first, then each day and week as it ends, a stale one again; never at boot, never in the
 * click batch. Reports meanwhile take the exact path for what is not written.
 */
@Injectable()
export class SubPairCompactor extends SubValueCompactor {
  protected override readonly logger = new Logger('SubPairRollups');
  protected override readonly what = 'sub-id pair rollups';

  constructor(@Inject(SubPairRollups) rollups: BucketRollups) {
    super(rollups);
  }
}
