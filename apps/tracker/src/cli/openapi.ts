import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_VERSION } from '../openapi/openapi.controller';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { TRACKER_CONTROLLERS } from '../tracker.module';

/** Where the console's typed API client reads the document from. */
const TARGET = 'apps/console/src/api/openapi.json';

/**
 * `npm run openapi` writes the admin API's OpenAPI document to apps/console/src/api/openapi.json;
 * `npm run openapi:check` fails when that file differs from what the code would write now (compared
 * as JSON, so reformatting the file does not matter).
 */
function main(): number {
  const path = resolve(process.cwd(), TARGET);
  const document = buildOpenApiDocument(TRACKER_CONTROLLERS, { version: API_VERSION });
  if (process.argv.includes('--check')) {
    const committed: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
    if (isDeepStrictEqual(committed, JSON.parse(JSON.stringify(document)))) {
      process.stdout.write(`${TARGET} is up to date.\n`);
      return 0;
    }
    process.stderr.write(`${TARGET} is stale: the admin API changed. Run \`npm run openapi\` and commit the result.\n`);
    return 1;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(document, null, 2) + '\n');
  process.stdout.write(`wrote ${TARGET} (${Object.keys(document.paths as object).length} paths)\n`);
  return 0;
}

process.exit(main());
