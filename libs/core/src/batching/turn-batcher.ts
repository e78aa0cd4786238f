/**
 * Joins calls made close together into one batch call, the way the click writer groups clicks:
 * no timer. The calls made in one event-loop turn share a batch; those made while `maxInFlight`
 * batches are running wait and form the next one, started the moment a batch ends. A lone call
 * therefore waits for nothing but the end of its turn. Each caller gets the result at its own
 * index; if the batch call fails, every caller in it gets that error.
 */
export class TurnBatcher<I, O> {
  private waiting: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.run(batch.map((w) => w.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`batch of ${batch.length} answered with ${results.length} results`);
            batch.forEach((w, i) => w.resolve(results[i]));
          },
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          this.inFlight--;
          if (this.waiting.length > 0) this.schedule();
        });
    }
  }
}
