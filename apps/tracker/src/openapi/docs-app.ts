import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dirname } from 'node:path';

/** Swagger UI needs inline styles (React sets `style` attributes); scripts stay same-origin files only. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Postwire admin API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

/** In a file of its own because the CSP forbids inline scripts. */
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true, withCredentials: true });\n`;

/**
 * Interactive docs of the admin API at `/api/docs`: Swagger UI's own files from the swagger-ui-dist
 * package (no CDN), a page without inline script, pointed at `/api/openapi.json`.
 */
export async function docsApp(fastify: FastifyInstance): Promise<void> {
  const root = dirname(require.resolve('swagger-ui-dist/package.json'));
  const csp = (reply: FastifyReply) => void reply.header('content-security-policy', DOCS_CSP);
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/api/docs/',
    wildcard: false,
    index: false,
    globIgnore: ['**/*.map', '**/*.html', '**/*.md', '**/*.txt', '**/*.json', '**/index.js', '**/absolute-path.js', '**/swagger-initializer.js'],
    setHeaders: (reply) => {
      csp(reply);
      void reply.header('cache-control', 'public, max-age=3600');
    },
  });
  fastify.get('/api/docs', (_req, reply) => reply.redirect('/api/docs/', 301));
  fastify.get('/api/docs/', (_req, reply) => {
    csp(reply);
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(PAGE);
  });
  fastify.get('/api/docs/init.js', (_req, reply) => {
    csp(reply);
    return reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(INIT);
  });
}
