import { setFlagsFromString } from 'node:v8';
import { compileWasmWithOptimizingCompilerOnly } from './wasm-compiler';

/** (module (func (export "answer") (result i32) i32.const `value`)); V8 reuses compiled code for identical bytes, so each call passes its own value. */
const moduleReturning = (value: number) =>
  new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 10, 1, 6, 97, 110, 115, 119, 101, 114, 0, 0, 10, 6, 1, 4, 0, 65, value, 11]);

/** Which V8 tier compiled a freshly instantiated, once-called WASM function (V8's test-only natives). */
function tierOfFreshWasmFunction(value: number): { liftoff: boolean; turbofan: boolean } {
  const answer = new WebAssembly.Instance(new WebAssembly.Module(moduleReturning(value))).exports.answer as () => number;
  expect(answer()).toBe(value);
  setFlagsFromString('--allow-natives-syntax');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the natives syntax only parses in code compiled after the flag
  const probe = new Function('f', 'return { liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) }') as (f: unknown) => {
    liftoff: boolean;
    turbofan: boolean;
  };
  return probe(answer);
}

describe('compileWasmWithOptimizingCompilerOnly', () => {
  it('moves WASM compiled afterwards from the baseline compiler (Liftoff) to TurboFan', () => {
    // V8's default, whatever an earlier test in this process (one opening PGlite) set.
    setFlagsFromString('--liftoff');
    expect(tierOfFreshWasmFunction(41)).toEqual({ liftoff: true, turbofan: false });
    compileWasmWithOptimizingCompilerOnly();
    expect(tierOfFreshWasmFunction(42)).toEqual({ liftoff: false, turbofan: true });
  });
});
