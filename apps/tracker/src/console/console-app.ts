import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ErrorBody } from '../http/error-codes';

/** Where `npm run build` puts the console (Vite's output of apps/console), from the compiled tracker in dist/. */
export const DEFAULT_CONSOLE_DIR = join(__dirname, '..', '..', '..', '..', '..', 'apps', 'console', 'dist');

/**
 * The console's Content-Security-Policy: its own scripts only, no inline script, no eval, API calls
 * to this origin only, and no framing (clickjacking). Inline *styles* are allowed: Mantine writes
 * its theme variables and responsive rules (grid columns, app-shell breakpoints) as <style>
 * elements at run time; styles cannot run code, scripts stay locked down.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names built files `name-<hash>.ext`, so their content never changes under one URL. */
const HASHED = /[.-][A-Za-z0-9_-]{8,}\.(js|mjs|css|woff2?|svg|png|jpe?g|webp|avif)$/;

/** The precompressed twins scripts/compress-console.js writes: `x.js.br` is `x.js` and cached like it. */
const PRECOMPRESSED = /\.(br|gz)$/;

function cacheHeaders(reply: FastifyReply, file: string): void {
  const name = basename(file).replace(PRECOMPRESSED, '');
  void reply.header('content-security-policy', CONSOLE_CSP);
  void reply.header('cache-control', name.endsWith('.html') || !HASHED.test(name) ? 'no-cache' : 'public, max-age=31536000, immutable');
}

/**
 * Serves the built console under `/console`: its files, Brotli or gzip as the browser's Accept-Encoding
 * allows when the build wrote a precompressed twin (else as they are), hashed assets cached for a year,
 * index.html always revalidated, and index.html for any other path (the app routes in the browser), while a
 * missing file with an extension stays a 404. Without a build the console paths answer a 404 that
 * says how to build it.
 */
export async function consoleApp(fastify: FastifyInstance, options: { dir?: string }): Promise<void> {
  const dir = options.dir ?? DEFAULT_CONSOLE_DIR;
  if (!existsSync(join(dir, 'index.html'))) {
    const notBuilt = (_req: unknown, reply: FastifyReply) =>
      reply
        .code(404)
        .header('content-type', 'application/json; charset=utf-8')
        .send(
          JSON.stringify({
            error: 'console_not_built',
            message: 'The console has not been built: run `npm run build` (it builds apps/console), then restart Postwire.',
          } satisfies ErrorBody),
        );
    fastify.get('/console', notBuilt);
    fastify.get('/console/*', notBuilt);
    return;
  }
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/console/',
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: cacheHeaders,
    serveDotFiles: false,
    preCompressed: true,
    // The twins are reached through their originals only (`/console/x.js` with Accept-Encoding: br).
    allowedPath: (pathname) => !PRECOMPRESSED.test(pathname),
  });
  const index = (_req: unknown, reply: FastifyReply) => {
    cacheHeaders(reply, 'index.html');
    return reply.sendFile('index.html');
  };
  fastify.get('/console', (_req, reply) => reply.redirect('/console/', 301));
  fastify.get('/console/', index);
  fastify.get('/console/*', (req, reply) => {
    const path = req.url.split('?')[0];
    if (/\.[A-Za-z0-9]{1,8}$/.test(path) || path.startsWith('/console/assets/')) {
      return reply
        .code(404)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ error: 'not_found', message: `${path} is not a file of the console` } satisfies ErrorBody));
    }
    return index(req, reply);
  });
}
