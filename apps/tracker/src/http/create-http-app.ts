import helmet from '@fastify/helmet';
import { Logger, type DynamicModule, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PostwireConfig } from '@postwire/config';

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
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { rawBody: true, logger: LEVELS[config.logLevel], bufferLogs: false });
  // Helmet's defaults are for HTML apps; Postwire answers redirects, JSON and a GIF, so the
  // content-security policy is not needed, the rest of the hardening headers are.
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } });
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: NestFastifyApplication, config: PostwireConfig, name: string): Promise<void> {
  await app.listen(config.port, config.host);
  new Logger(name).log(`listening on ${config.host}:${config.port} (public URL ${config.publicUrl})`);
}
