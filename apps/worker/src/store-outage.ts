import { Injectable } from '@nestjs/common';

/**
 * Carries "the database is away" from where the delivery processor meets it, logging an attempt it already
 * sent, to the worker, which then stops taking jobs until the database answers (DeliveryWorker). A claim that
 * finds the database away reaches the worker as a thrown error instead.
 */
@Injectable()
export class StoreOutage {
  private readonly listeners: Array<(error: Error) => void> = [];

  report(error: unknown): void {
    for (const listener of this.listeners) listener(error instanceof Error ? error : new Error(String(error)));
  }

  onReport(listener: (error: Error) => void): void {
    this.listeners.push(listener);
  }
}
