/** How a {@link GroupCommit} forms its batches. */
export interface GroupCommitOptions<I> {
  /** Most weight per batch (items, or what `weigh` counts); an item heavier than this goes in a batch of its own, never split. */
  maxBatch: number;
  /** Batches running at once; `Infinity` to start every batch as soon as it is formed. */
  maxInFlight: number;
  /**
   * While a batch runs, a second one starts only once this much weight waits (default 1); less waits
   * for the running one to end and joins the next batch. Small concurrent batches would cost a commit
   * each and make every item wait longer.
   */
  minParallelBatch?: number;
  /** What an item counts towards `maxBatch` (default 1): e.g. the jobs of one enqueue call. */
  weigh?: (item: I) => number;
}

interface Waiting<I, O> {
  item: I;
  weight: number;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit, the one batching primitive of Postwire (clicks, postbacks, click-context loads,
 * delivery enqueues and claims): calls made close together share one batch call, and nothing waits
 * on a timer. The calls made in one event-loop turn form a batch at the end of that turn; those made
 * while `maxInFlight` batches run wait and form the next one, started the moment a batch ends. A
 * lone call therefore waits for nothing but the end of its turn, and under load batches grow by
 * themselves to what arrived during one commit. A full batch (`maxBatch`) starts at once.
 *
 * Each caller gets the result at its own index; if the batch call fails, every caller in it gets
 * that error (a caller that needs retries or per-item failures puts them in `run`, which keeps its
 * slot meanwhile, so an outage is not met with a stampede of retries).
 */
export class GroupCommit<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private waitingWeight = 0;
  private scheduled = false;
  private inFlight = 0;
  private count = 0;
  private readonly idle: Array<() => void> = [];
  private readonly minParallel: number;
  private readonly weigh: (item: I) => number;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I>,
  ) {
    this.minParallel = options.minParallelBatch ?? 1;
    this.weigh = options.weigh ?? (() => 1);
  }

  /** Items added and not yet answered (waiting or in a running batch). */
  get pending(): number {
    return this.count;
  }

  /** Adds an item; resolves with its result once its batch call has answered. */
  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const weight = this.weigh(item);
      this.waiting.push({ item, weight, resolve, reject });
      this.waitingWeight += weight;
      this.count++;
      if (this.waitingWeight >= this.options.maxBatch) this.pump(false);
      if (this.waiting.length > 0) this.schedule();
    });
  }

  /**
   * Starts what waits now, without waiting for the end of the turn or for `minParallelBatch`, and
   * resolves once every item added so far is answered; undefined when nothing is pending (shutdown).
   */
  flush(): Promise<void> | undefined {
    if (this.count === 0) return undefined;
    this.pump(true);
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump(false);
    });
  }

  /** Fills free slots with batches of what waits; `force` ignores minParallelBatch. */
  private pump(force: boolean): void {
    while (this.waiting.length > 0 && this.inFlight < this.options.maxInFlight) {
      if (!force && this.inFlight > 0 && this.waitingWeight < this.minParallel) return;
      let size = 0;
      let weight = 0;
      while (size < this.waiting.length && (size === 0 || weight + this.waiting[size].weight <= this.options.maxBatch)) weight += this.waiting[size++].weight;
      const batch = this.waiting.splice(0, size);
      this.waitingWeight -= weight;
      this.start(batch);
    }
  }

  private start(batch: Array<Waiting<I, O>>): void {
    this.inFlight++;
    const answer = (settle: () => void) => {
      this.count -= batch.length;
      settle();
    };
    let run: Promise<O[]>;
    try {
      run = this.run(batch.map((w) => w.item));
    } catch (error) {
      run = Promise.reject(error);
    }
    run
      .then((results) => {
        if (results.length !== batch.length) throw new Error(`batch of ${batch.length} answered with ${results.length} results`);
        answer(() => batch.forEach((w, i) => w.resolve(results[i])));
      })
      .catch((error: unknown) => answer(() => batch.forEach((w) => w.reject(error))))
      .finally(() => {
        this.inFlight--;
        if (this.count === 0) this.idle.splice(0).forEach((resolve) => resolve());
        // The next batch starts the moment this one ends: what arrived meanwhile is already waiting.
        this.pump(this.idle.length > 0);
      });
  }
}
