import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load-types';

const WORKER = join(__dirname, '..', 'load-worker.js');

/** Runs one load in a separate process and returns its result; the process is killed if it overruns. */
export function runLoad(spec: LoadSpec, limitSec: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new Error(`load process overran ${limitSec} s`)));
    }, limitSec * 1000);
    child.once('message', (message: { ok: boolean; result?: LoadResult; error?: string }) => {
      finish(() => (message.ok && message.result ? resolve(message.result) : reject(new Error(`load process failed: ${message.error}`))));
    });
    child.once('exit', (code) => finish(() => reject(new Error(`load process exited with ${code} before answering`))));
    child.send(spec);
  });
}

/** Number of requests that answered with one of `codes`. */
export function countStatus(result: LoadResult, ...codes: number[]): number {
  return codes.reduce((n, code) => n + (result.statusCounts[String(code)] ?? 0), 0);
}
