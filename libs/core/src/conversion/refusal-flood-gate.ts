/**
 * Which refused requests of one address still become postback-log rows this minute, decided in
 * memory so that a flood costs the database nothing past its first rows: an address gets `perMinute`
 * rows per clock minute, and every further refusal in that minute is only counted. The database
 * applies the same bound across processes (batch-writer.ts, `log_flooded`); this gate only spares it
 * the work. Memory is bounded: the addresses are forgotten when the minute turns, and past
 * `maxAddresses` in one minute new addresses are admitted without being tracked (the database's bound
 * still holds for them).
 */
export class RefusalFloodGate {
  private minute = -1;
  private readonly seen = new Map<string, number>();
  /** Counts of refusals not admitted, by minute, address and reason, waiting for {@link drain}. */
  private counted = new Map<string, { minute: Date; ip: string; reason: string; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxAddresses = 50_000,
  ) {}

  /** Whether this refusal may be a row; if not, it is counted (see {@link drain}). */
  admit(ip: string, reason: string, at: Date): boolean {
    const minute = Math.floor(at.getTime() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.seen.clear();
    }
    const n = this.seen.get(ip);
    if (n === undefined) {
      if (this.seen.size < this.maxAddresses) this.seen.set(ip, 1);
      return true;
    }
    if (n < this.perMinute) {
      this.seen.set(ip, n + 1);
      return true;
    }
    const key = `${minute}\u0000${ip}\u0000${reason}`;
    const entry = this.counted.get(key);
    if (entry) entry.count++;
    else this.counted.set(key, { minute: new Date(minute * 60_000), ip, reason, count: 1 });
    return false;
  }

  /** Whether counts wait for {@link drain}. */
  get hasCounts(): boolean {
    return this.counted.size > 0;
  }

  /** The counts gathered since the last drain, handed over once. */
  drain(): Array<{ minute: Date; ip: string; reason: string; count: number }> {
    const counts = [...this.counted.values()];
    this.counted = new Map();
    return counts;
  }
}
