import { setFlagsFromString } from 'node:v8';

/**
 * Makes V8 compile WebAssembly with its optimising compiler only (TurboFan), skipping the baseline
 * one (Liftoff). PGlite is a large WASM module: by default V8 keeps Liftoff code for every function
 * PGlite calls and TurboFan code for the hot ones beside it, ~40 MB of RSS the embedded process never
 * gives back. TurboFan alone costs ~0.8 s more CPU once at boot and runs statements no slower
 * (bench/NOTES.md, "Embedded (PGlite)"). Must run before the module is compiled; code compiled
 * earlier keeps its tiers, and once one module skipped Liftoff V8 does not go back to it in that
 * process. `--no-liftoff` cannot be given through NODE_OPTIONS, hence in-process.
 */
export function compileWasmWithOptimizingCompilerOnly(): void {
  setFlagsFromString('--no-liftoff');
}
