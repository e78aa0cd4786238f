import { Logger, type DynamicModule, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PostwireConfig } from '@postwire/config';
import fastifyCookie from '@fastify/cookie';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { consoleApp } from '../console/console-app';
import { docsApp } from '../openapi/docs-app';
import { installPublicTrafficHook } from '../guards/public-traffic.hook';
import { strictQuerystring } from './querystring';
import { installSecurityHeaders } from './security-headers';

/** Largest request body accepted anywhere (postbacks are tiny; ClickBank's encrypted JSON is a few KB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

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
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { rawBody: true, logger: LEVELS[config.logLevel], bufferLogs: false });
  // Console session cookie (`pw_session`): set by the auth routes and parsed only where a session is
  // looked up (hook: false), so clicks and postbacks pay nothing for it.
  await app.register(fastifyCookie, { hook: false });
  // The operator console (a static React app) under /console, and the API's docs under /api/docs.
  await app.register(consoleApp, { dir: config.consoleDir });
  await app.register(docsApp);
  // First thing on every request: resolve the client address and apply its rate limit.
  installPublicTrafficHook(app);
  // Helmet's hardening headers, worked out once at boot (see security-headers.ts).
  await installSecurityHeaders(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: NestFastifyApplication, config: PostwireConfig, name: string): Promise<void> {
  await app.listen(config.port, config.host);
  new Logger(name).log(`listening on ${config.host}:${config.port} (public URL ${config.publicUrl})`);
}
