import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingStandaloneNodeOptions, STANDALONE_NODE_OPTIONS } from './node-options';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRY = 'dist/apps/standalone/src/main.js';

/** The benchmarks and the end-to-end tests import the options; the places a user starts it from repeat them and must agree. */
describe('STANDALONE_NODE_OPTIONS', () => {
  it('are what `npm start` runs the standalone with', () => {
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(['node', ...STANDALONE_NODE_OPTIONS, ENTRY].join(' '));
  });

  it("are what the Docker image's default command runs the standalone with", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...STANDALONE_NODE_OPTIONS, ENTRY]);
  });

  it('are options Node also takes from NODE_OPTIONS, for a process started another way', () => {
    // Node refuses to start when NODE_OPTIONS holds an option it does not allow there.
    for (const option of STANDALONE_NODE_OPTIONS) expect(process.allowedNodeEnvironmentFlags.has(option.split('=')[0])).toBe(true);
  });
});

describe('missingStandaloneNodeOptions', () => {
  it('names every option a bare `node main.js` lacks', () => {
    expect(missingStandaloneNodeOptions([])).toEqual([...STANDALONE_NODE_OPTIONS]);
  });

  it('counts options from the command line and from NODE_OPTIONS, with any value', () => {
    expect(missingStandaloneNodeOptions(['--max-semi-space-size=8'], ' --max-old-space-size=512 ')).toEqual([]);
  });

  it('names what is still missing when only one is given', () => {
    expect(missingStandaloneNodeOptions(['--max-old-space-size=256'], '--enable-source-maps')).toEqual(['--max-semi-space-size=4']);
  });
});
