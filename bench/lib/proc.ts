import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../test/support/ports';

// One definition of a free port for the tests and the benchmarks.
export { freePort };

/** CPU time (user + system) process `pid` has used so far, in seconds; undefined when it is gone or /proc is missing. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them, in clock ticks (100 Hz on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns true; gives up (returns false) after `timeoutMs`. */
export async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export interface StartOptions {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Ready when GET `url` answers 200, or when the output contains `line`. */
  ready: { url: string } | { line: string };
  timeoutMs?: number;
}

/** A server under test (or a baseline) as its own Node process, so its memory and CPU are its own. */
export class ServerProcess {
  output = '';
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.keep(d));
    child.stderr?.on('data', (d: Buffer) => this.keep(d));
  }

  static async start(options: StartOptions): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new ServerProcess(options.name, child);
    const ready = options.ready;
    const ok = await pollUntil(async () => {
      if ('line' in ready && proc.output.includes(ready.line)) return true;
      // An exited process will not become ready: stop waiting (pollUntil retries on errors, not on true).
      if (child.exitCode !== null) return true;
      if ('line' in ready) return false;
      return (await fetch(ready.url, { signal: AbortSignal.timeout(1000) })).status === 200;
    }, options.timeoutMs ?? 60_000);
    if (!ok || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not start (exit ${child.exitCode}):\n${proc.output.slice(-4000)}`);
    }
    return proc;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Whether the process has ended (by itself or by a signal). */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Peak resident set size of the process so far (Linux VmHWM), in MB; undefined where /proc is missing. */
  peakRssMb(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
      return kb ? Math.round(Number(kb) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  /** CPU time (user + system) the process has used so far, in seconds; undefined where /proc is missing. */
  cpuSeconds(): number | undefined {
    return cpuSecondsOf(this.pid);
  }

  /**
   * Sends `signal` and waits for the exit; SIGKILL after `graceMs`. Resolves to true when the
   * process ended by itself (exit code 0, or the signal re-raised after a graceful shutdown, as Nest does).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<boolean> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode === 0;
    let forced = false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        forced = true;
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', (code, endedBy) => {
        clearTimeout(timer);
        resolve(!forced && (code === 0 || endedBy === signal));
      });
      child.kill(signal);
    });
  }

  private keep(d: Buffer): void {
    // Bounded: a chatty process must not grow the bench's own memory.
    this.output = (this.output + d.toString()).slice(-64_000);
  }
}

/** Resident set size of process `pid` now (Linux VmRSS), in MB; undefined when it is gone or /proc is missing. */
export function rssMbOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
