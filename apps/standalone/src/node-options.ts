/**
 * Node options the standalone process is started with: `npm start`, the Docker image's command, the
 * benchmarks and the end-to-end tests all pass these, before the entry point. They keep V8's heap
 * small, for embedded mode's memory budget (bench/NOTES.md, "Embedded (PGlite)"):
 * - `--max-semi-space-size=4`: the young generation is 2 × 4 MB instead of V8's 2 × 16 MB, all of
 *   which a busy process touches. 2 MB saved ~3 MB more and spent ~35% more time in GC.
 * - `--max-old-space-size=256`: the live heap is ~45 MB, but on a machine with memory to spare V8
 *   lets garbage grow the old generation to twice that before collecting; under a small limit it
 *   grows it in smaller steps (80–90 MB became 45–50 MB under the postback bench). 256 MB is five
 *   times the live heap, so running out is no risk.
 * Both are accepted in NODE_OPTIONS too, for a process started another way.
 */
export const STANDALONE_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=256'];

/**
 * Which of {@link STANDALONE_NODE_OPTIONS} this process was started without, by name: given on the
 * command line (`execArgv`) or in NODE_OPTIONS, with any value, counts as given.
 */
export function missingStandaloneNodeOptions(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/)].map(optionName));
  return STANDALONE_NODE_OPTIONS.filter((option) => !given.has(optionName(option)));
}

const optionName = (option: string) => option.split('=')[0];
