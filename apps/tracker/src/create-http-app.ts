import type { Server } from 'node:http';
import { Logger, type DynamicModule, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PostwireConfig } from '@postwire/config';
import fastifyCookie from '@fastify/cookie';
import { ADAPTER_BODY_LIMIT_CEILING } from '@postwire/plugin-sdk';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { consoleApp } from './console/console-app';
import { installPublicTrafficHook } from './guards/public-traffic.hook';
import { ClientIpResolver } from './http/client-ip';
import { logHookRefusals, RefusalLog } from './postback-log';
import { installInputGuard } from './http/input-guard';
import { installBodyParsers } from './http/body-parsers';
import { strictQuerystring } from './http/querystring';
import { installSecurityHeaders } from './http/security-headers';
import { docsApp } from './openapi/docs-app';
import { readyBlock, takeOneTimeSecrets } from './boot/ready-block';

/** Largest request body accepted anywhere but on the adapter route (generic postbacks are tiny). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The adapter route. Its HTTP cap is the highest an adapter may declare; the network's own
 * `limits.maxBodyBytes` is applied once the network is known (postback-request.ts).
 */
const ADAPTER_ROUTE = '/postback/:network';

const LEVELS: Record<PostwireConfig['logLevel'], LogLevel[]> = {
  trace: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
  fatal: ['fatal'],
  silent: [],
};

/** Builds the Fastify-backed Nest application for a root module, with the HTTP settings every Postwire app shares. */
export async function createHttpApp(root: DynamicModule, config: PostwireConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // The client address is resolved by Postwire's own trusted-proxy rules, not by Fastify.
    trustProxy: false,
    routerOptions: { maxParamLength: 200, querystringParser: strictQuerystring },
    // A path Fastify cannot route (bad percent-encoding, a parameter over maxParamLength) gets the
    // same `{ error, param, message }` shape as every other refusal.
    frameworkErrors: (error: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .code(status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ error: status === 414 ? 'uri_too_long' : 'bad_request', param: 'path', message: 'The request path is malformed or too long.' }));
    },
    return503OnClosing: true,
    // Slow and idle clients (docs/security.md): a socket that trickles its headers or body, or sits
    // idle, is closed instead of being held for ever; Node checks these deadlines every second.
    http: { headersTimeout: config.http.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, config.http.headersTimeoutMs) },
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
  });
  // Routes are registered when the app initialises, after this hook is in place.
  adapter.getInstance().addHook('onRoute', (route) => {
    if (route.url === ADAPTER_ROUTE) route.bodyLimit = ADAPTER_BODY_LIMIT_CEILING;
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { rawBody: true, logger: LEVELS[config.logLevel], bufferLogs: false });
  // JSON bodies keep their exact numbers (body-parsers.ts); set before Nest would install Fastify's JSON.parse.
  installBodyParsers(app, BODY_LIMIT_BYTES);
  // Console session cookie (`pw_session`): set by the auth routes and parsed only where a session is
  // looked up (hook: false), so clicks and postbacks pay nothing for it.
  await app.register(fastifyCookie, { hook: false });
  // The operator console (a static React app) under /console, and the API's docs under /api/docs.
  await app.register(consoleApp, { dir: config.consoleDir });
  await app.register(docsApp);
  // First thing on every request: resolve the client address and apply its rate limit.
  // Refusals of postback and pixel requests by these hooks are rows of the postback log.
  const clientIp = app.get(ClientIpResolver, { strict: false });
  const refusedByHook = logHookRefusals(app.get(RefusalLog, { strict: false }), (req) => clientIp.of(req));
  installPublicTrafficHook(app, refusedByHook);
  // Every route's path, query and body pass one set of character and shape checks (input-guard.ts).
  installInputGuard(app, refusedByHook);
  // Helmet's hardening headers, worked out once at boot (see security-headers.ts).
  await installSecurityHeaders(app.getHttpAdapter().getInstance());
  // Beyond this many open sockets new connections are dropped, before file descriptors run out for
  // everyone (the database pool and Redis included).
  (app.getHttpServer() as Server).maxConnections = config.http.maxConnections;
  app.enableShutdownHooks();
  return app;
}

/** Starts the app (its bootstraps run here) and ends the boot log with the "ready" block. */
export async function listen(app: NestFastifyApplication, config: PostwireConfig, name: string): Promise<void> {
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    // A secret made before the failure is stored as a hash only: unprinted, it would lock the operator out.
    const secrets = takeOneTimeSecrets();
    if (secrets.length)
      process.stderr.write(`Postwire did not start, but it made these, shown this once:\n${secrets.map((s) => `  ${s.label}: ${s.value}`).join('\n')}\n`);
    throw error;
  }
  new Logger(name).log(`listening on ${config.host}:${config.port} (public URL ${config.publicUrl})`);
  // Written, not logged: LOG_LEVEL must not hide the one-time secrets.
  process.stdout.write(readyBlock(config, takeOneTimeSecrets()));
}
