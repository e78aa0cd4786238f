import { Inject, Injectable } from '@nestjs/common';
import { preparePartitions, type SqlClient } from '@postwire/persistence';
import { SQL_CLIENT } from '@postwire/runtime';
import { PeriodicTask } from './periodic-task';

/**
 * Creates the daily partitions of the days ahead (PARTITION_DAYS_AHEAD), hourly. Every process also
 * does it at boot (DatabaseModule); the worker keeps it going because it already runs the retention
 * passes and stays off the click path, and a tracker running for weeks without a restart must not
 * end up writing into the default partition. The week ahead leaves a stopped worker days to return;
 * past that the default partition still takes every row, and the next pass moves them into their day.
 */
@Injectable()
export class PartitionMaintenanceTask extends PeriodicTask {
  protected readonly intervalMs = 3_600_000;

  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {
    super();
  }

  protected async pass(): Promise<number> {
    const { created, converted } = await preparePartitions(this.db);
    if (converted.length) this.logger.log(`partitioned by time: ${converted.join(', ')}`);
    if (created.length) this.logger.log(`created partitions: ${created.join(', ')}`);
    return created.length;
  }
}
