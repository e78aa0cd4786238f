import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_VARIABLES } from './postwire-config';

const ROOT = join(__dirname, '../../..');

/** Variable names in the first column of the README's configuration table (`PORT` / `HOST` counts twice). */
function documentedVariables(): Set<string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
  return new Set(names);
}

/** `process.env.NAME` and `process.env['NAME']` in the shipped code: apps, libs and plugins, without tests. */
function variablesReadBySource(): Set<string> {
  const found = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'test-support', 'testing', 'fixtures'].includes(entry.name)) visit(path);
      } else if (/\.ts$/.test(entry.name) && !/spec\.ts$/.test(entry.name)) {
        for (const m of readFileSync(path, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g))
          found.add(m[1] ?? m[2]);
      }
    }
  };
  for (const dir of ['apps', 'libs', 'plugins']) visit(join(ROOT, dir));
  return found;
}

describe('README configuration table', () => {
  it('lists every variable the configuration parser reads', () => {
    expect(CONFIG_VARIABLES).toContain('SECRETS_KEY');
    const documented = documentedVariables();
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists every variable the code reads from process.env directly', () => {
    const documented = documentedVariables();
    expect([...variablesReadBySource()].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists nothing the code no longer reads', () => {
    const read = new Set([...CONFIG_VARIABLES, ...variablesReadBySource()]);
    expect([...documentedVariables()].filter((name) => !read.has(name))).toEqual([]);
  });
});
