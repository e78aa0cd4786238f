import Fastify from 'fastify';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docsApp } from '../openapi/docs-app';
import { consoleApp } from './console-app';

/** The policies docs/security.md states, one per fenced block that starts with `default-src`. */
function documentedPolicies(): string[] {
  const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'security.md'), 'utf8');
  return [...doc.matchAll(/```\n(default-src [^\n]*)\n```/g)].map((m) => m[1]);
}

describe('docs/security.md states the Content-Security-Policy the pages send', () => {
  const dir = mkdtempSync(join(tmpdir(), 'postwire-csp-'));
  beforeAll(() => writeFileSync(join(dir, 'index.html'), '<!doctype html>'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the console and the API docs page send exactly the policies the doc gives, in that order', async () => {
    const fastify = Fastify({ logger: false });
    await fastify.register(consoleApp, { dir });
    await fastify.register(docsApp);
    const sent = [];
    for (const url of ['/console/', '/api/docs/']) {
      const res = await fastify.inject({ url });
      expect([url, res.statusCode]).toEqual([url, 200]);
      sent.push(String(res.headers['content-security-policy']));
    }
    await fastify.close();
    expect(documentedPolicies()).toEqual(sent);
  });
});
