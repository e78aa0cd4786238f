import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';

/**
 * A Node process of its own: once anything in a process compiled WASM without Liftoff (another test
 * opening PGlite), V8 keeps compiling that way whatever the flag says later, so this test process
 * cannot show the default. The child compiles a tiny module before and after the call, and reports
 * each function's tier through V8's test-only natives.
 */
function tiersBeforeAndAfterTheCall(): unknown {
  const source = transformFileSync(join(__dirname, 'wasm-compiler.ts'), {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  }).code;
  const script = `
    const exports = {};
    ${source}
    // (module (func (export "answer") (result i32) i32.const N)); a different N each time, as V8 reuses code compiled from identical bytes.
    function tierOfFreshFunction(n) {
      const bytes = Buffer.from('0061736d010000000105016000017f03020100070a0106616e7377657200000a06010400412a0b', 'hex');
      bytes[bytes.length - 2] = n;
      const answer = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.answer;
      if (answer() !== n) throw new Error('the module did not run');
      return { liftoff: %IsLiftoffFunction(answer), turbofan: %IsTurboFanFunction(answer) };
    }
    const before = tierOfFreshFunction(41);
    exports.compileWasmWithOptimizingCompilerOnly();
    console.log(JSON.stringify({ before, after: tierOfFreshFunction(42) }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' }));
}

describe('compileWasmWithOptimizingCompilerOnly', () => {
  it('moves WASM compiled afterwards from the baseline compiler (Liftoff) to TurboFan', () => {
    expect(tiersBeforeAndAfterTheCall()).toEqual({ before: { liftoff: true, turbofan: false }, after: { liftoff: false, turbofan: true } });
  });
});
