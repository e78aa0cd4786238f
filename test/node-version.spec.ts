import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One Node version: `engines.node` in package.json declares it (its minimum's major), and the README,
 * the Docker image and CI follow. This fails when one of them moves alone.
 */
const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const declared = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const major = /^>=(\d+)\.\d+$/.exec(declared)?.[1];

describe('the Node version', () => {
  it('is declared in package.json engines as ">=MAJOR.MINOR"', () => {
    expect(major).toBeDefined();
  });

  it('is the one the Docker image builds and runs on', () => {
    const images = [...read('Dockerfile').matchAll(/^FROM node:(\S+)/gm)].map((m) => m[1]);
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatch(new RegExp(`^${major}-`));
  });

  it('is the one the README asks for', () => {
    expect(read('README.md')).toContain(`Node.js ${major} `);
    expect(read('README.md')).not.toMatch(new RegExp(`Node(\\.js)? (?!${major}\\b)\\d{2}\\b`));
  });

  it('is the one CI checks for (read from package.json, not written again)', () => {
    expect(read('.ci/run')).toContain('engines.node');
  });
});
