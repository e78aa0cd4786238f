import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { consoleApp } from './console-app';

describe('consoleApp (serving the built console under /console)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'postwire-console-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/index-AbC123xy.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-AbC123xy.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    // The twins scripts/compress-console.js writes beside what it compresses (a text the test can tell apart).
    const script = 'console.log("compressed")';
    writeFileSync(join(dir, 'assets', 'index-Zz987654.js'), script);
    writeFileSync(join(dir, 'assets', 'index-Zz987654.js.br'), brotliCompressSync(script));
    writeFileSync(join(dir, 'assets', 'index-Zz987654.js.gz'), gzipSync(script));
    writeFileSync(join(dir, 'index.html.gz'), gzipSync('<!doctype html><p>gzip</p>'));
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

  it('sends the Brotli or gzip twin the browser accepts, the file itself otherwise, always with Vary and the same caching', async () => {
    const fastify = await app(dir);
    const url = '/console/assets/index-Zz987654.js';
    const br = await fastify.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect([br.statusCode, br.headers['content-encoding']]).toEqual([200, 'br']);
    expect(br.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log("compressed")');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('accept-encoding');
    const gz = await fastify.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe('console.log("compressed")');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await fastify.inject({ url, headers: { 'accept-encoding': 'identity' } });
    expect([plain.headers['content-encoding'], plain.body]).toEqual([undefined, 'console.log("compressed")']);
    expect(plain.headers.vary).toContain('accept-encoding');
    // A file without a twin goes out as it is, whatever the browser accepts.
    const only = await fastify.inject({ url: '/console/assets/index-AbC123xy.js', headers: { 'accept-encoding': 'br' } });
    expect([only.statusCode, only.headers['content-encoding'], only.body]).toEqual([200, undefined, 'console.log(1)']);
    // index.html (and the app routes that answer it) compressed too, and still never cached.
    for (const page of ['/console/', '/console/reports']) {
      const html = await fastify.inject({ url: page, headers: { 'accept-encoding': 'br, gzip' } });
      expect([page, html.headers['content-encoding'], html.headers['cache-control']]).toEqual([page, 'gzip', 'no-cache']);
      expect(gunzipSync(html.rawPayload).toString()).toContain('<p>gzip</p>');
    }
    // The twins are not addresses of their own.
    expect((await fastify.inject({ url: `${url}.br` })).statusCode).toBe(404);
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
