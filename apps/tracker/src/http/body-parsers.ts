import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BadParameterError, findDuplicateJsonKey, FORM_MEDIA_TYPE, JSON_MEDIA_TYPE, parseJsonExact } from '@postwire/plugin-sdk';
import { checkInputTree } from '@postwire/security';
import type { FastifyRequest } from 'fastify';
import { strictQuerystring } from './querystring';

/**
 * The JSON body parser of every route, in place of Fastify's (which is `JSON.parse`): numbers keep
 * their exact value or are refused with a 400 naming the parameter and saying to send it as a
 * string ({@link parseJsonExact}), and a key given twice in one object, at any depth, is refused
 * naming its path, as is a prototype name (`__proto__`, `constructor`, `prototype`) as a key, which
 * Fastify's parser refused too. Nest keeps the raw bytes on `req.rawBody` (signatures, adapters).
 * Form bodies are read with the query-string rules (querystring.ts): installing one parser makes
 * Nest install none of its own.
 */
export function installBodyParsers(app: NestFastifyApplication, bodyLimit: number): void {
  type Done = (error: Error | null, value?: unknown) => void;
  app.useBodyParser(JSON_MEDIA_TYPE, { bodyLimit }, (_req: FastifyRequest, body: Buffer, done: Done) => {
    try {
      done(null, parseJsonBody(body.toString('utf8')));
    } catch (error) {
      done(error as Error);
    }
  });
  app.useBodyParser(FORM_MEDIA_TYPE, { bodyLimit }, (_req: FastifyRequest, body: Buffer, done: Done) => done(null, strictQuerystring(body.toString('utf8'))));
}

/** Parses the JSON body of any route; throws {@link BadParameterError} naming the parameter at fault. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new BadParameterError('body', `is empty; send a JSON value, or no content-type ${JSON_MEDIA_TYPE}`);
  const value = parseJsonExact(text);
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined) throw new BadParameterError(duplicate, 'is given more than once in the JSON body');
  // Only the key names here: text rules differ per adapter on postback routes and are applied where they are known.
  const check = checkInputTree(value, { allowLineBreaks: true });
  if (!check.ok && check.reason === 'forbidden_key') throw new BadParameterError(check.path, 'is not an allowed name');
  return value;
}
