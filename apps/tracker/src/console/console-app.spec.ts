import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleApp } from './console-app';

describe('consoleApp (serving the built console under /console)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'postwire-console-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/index-AbC123xy.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-AbC123xy.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = async (consoleDir: string) => {
    const fastify = Fastify({ logger: false });
    await fastify.register(consoleApp, { dir: consoleDir });
    return fastify;
  };

  it('serves index.html for the app and every client-side route, never cached, with a CSP without inline scripts', async () => {
    const fastify = await app(dir);
    for (const url of ['/console/', '/console/reports', '/console/conversions/123?tab=trace']) {
      const res = await fastify.inject({ url });
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect(res.body).toContain('<!doctype html>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      const scriptSrc = String(res.headers['content-security-policy'])
        .split(';')
        .find((d) => d.trim().startsWith('script-src'));
      expect(scriptSrc).not.toContain('unsafe');
    }
    expect((await fastify.inject({ url: '/console' })).headers.location).toBe('/console/');
    await fastify.close();
  });

  it('caches hashed assets for a year, other files not, and answers 404 for a missing file', async () => {
    const fastify = await app(dir);
    const asset = await fastify.inject({ url: '/console/assets/index-AbC123xy.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await fastify.inject({ url: '/console/favicon.svg' })).headers['cache-control']).toBe('no-cache');
    expect((await fastify.inject({ url: '/console/assets/gone-12345678.js' })).statusCode).toBe(404);
    expect((await fastify.inject({ url: '/console/../package.json' })).statusCode).not.toBe(200);
    await fastify.close();
  });

  it('answers 404 with how to build it when the console is not built', async () => {
    const fastify = await app(join(dir, 'nothing-here'));
    for (const url of ['/console', '/console/', '/console/reports']) {
      const res = await fastify.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'console_not_built', message: expect.stringContaining('npm run build') });
    }
    await fastify.close();
  });
});
