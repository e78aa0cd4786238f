import { setFlagsFromString } from 'node:v8';
import { compileWasmWithOptimizingCompilerOnly } from './wasm-compiler';

/** (module (func (export "answer") (result i32) i32.const `value`)); V8 reuses compiled code for identical bytes, so each call passes its own value. */
function moduleReturning(value: number): Uint8Array {
  const bytes = Buffer.from('0061736d010000000105016000017f03020100070a0106616e7377657200000a06010400412a0b', 'hex');
  // The i32.const immediate, one LEB128 byte (values 0–63).
  bytes[bytes.length - 2] = value;
  return bytes;
}

/** Which V8 tier compiled a freshly instantiated, once-called WASM function (V8's test-only natives). */
function tierOfFreshWasmFunction(value: number): { liftoff: boolean; turbofan: boolean } {
  const answer = new WebAssembly.Instance(new WebAssembly.Module(moduleReturning(value))).exports.answer as () => number;
  expect(answer()).toBe(value);
  setFlagsFromString('--allow-natives-syntax');
  // A function compiled after the flag: the natives syntax does not parse in code compiled before it.
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
