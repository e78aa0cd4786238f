/**
 * The number of random cases a property test runs: `perRun` in CI, times `FUZZ_SCALE` when it is set
 * (`FUZZ_SCALE=10 npm run jest -- test/hostile-input --selectProjects e2e` for a deep run). Every run draws
 * a new seed and fast-check prints it with any failure, so the cases CI tries add up run after run; the
 * per-run number is sized to keep CI within its time budget, not to find everything in one go.
 */
export function fuzzRuns(perRun: number): number {
  return Math.max(1, Math.round(perRun * fuzzScale()));
}

/** A property test's time limit for {@link fuzzRuns}' number of cases: `perRun` milliseconds, scaled the same way. */
export function fuzzTimeout(perRun: number): number {
  return Math.round(perRun * Math.max(1, fuzzScale()));
}

function fuzzScale(): number {
  const scale = Number(process.env.FUZZ_SCALE ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`FUZZ_SCALE must be a number above 0, got ${process.env.FUZZ_SCALE}`);
  return scale;
}
