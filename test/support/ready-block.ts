/** The `label: value` lines of the last "ready" block in a boot log (apps/tracker/src/boot/ready-block.ts), by label. */
export function readyBlockOf(output: string): Record<string, string> {
  const start = output.lastIndexOf('Postwire is ready.');
  if (start < 0) throw new Error(`no "ready" block in the output:\n${output}`);
  const rows = output
    .slice(start)
    .split('\n')
    .slice(1)
    .map((line) => /^ {2}([\w -]+):\s+(\S.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  return Object.fromEntries(rows.map((m) => [m[1], m[2]]));
}
