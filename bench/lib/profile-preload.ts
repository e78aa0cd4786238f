/**
 * Preloaded (`node -r`) into Postwire when the bench runs with --profile. `--cpu-prof` writes its
 * profile only on a normal exit, but Nest ends a SIGTERM shutdown by re-raising the signal. This
 * listener turns that second SIGTERM into `process.exit(0)`, so the profile gets written.
 */
let signals = 0;
process.on('SIGTERM', () => {
  if (++signals >= 2) process.exit(0);
  setTimeout(() => process.exit(0), 20_000).unref();
});
