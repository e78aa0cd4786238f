import 'reflect-metadata';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_VERSION } from '../openapi/openapi.controller';
import { renderErrorCodesDoc } from '../openapi/error-codes-doc';
import { buildOpenApiDocument } from '../openapi/openapi-document';
import { TRACKER_CONTROLLERS } from '../tracker.module';

/** Where the console's typed API client reads the document from. */
const TARGET = 'apps/console/src/api/openapi.json';
/** The error codes for people, from the same declaration as the document's `Error` enum. */
const ERRORS_DOC = 'docs/api-errors.md';

/**
 * `npm run openapi` writes the admin API's OpenAPI document to apps/console/src/api/openapi.json and
 * the error codes to docs/api-errors.md; `npm run openapi:check` fails when either differs from what
 * the code would write now (the document compared as JSON, so reformatting the file does not matter).
 */
function main(): number {
  const path = resolve(process.cwd(), TARGET);
  const docPath = resolve(process.cwd(), ERRORS_DOC);
  const document = buildOpenApiDocument(TRACKER_CONTROLLERS, { version: API_VERSION });
  const errorsDoc = renderErrorCodesDoc();
  if (process.argv.includes('--check')) {
    const committed: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
    const stale = [
      ...(isDeepStrictEqual(committed, JSON.parse(JSON.stringify(document))) ? [] : [TARGET]),
      ...(existsSync(docPath) && readFileSync(docPath, 'utf8') === errorsDoc ? [] : [ERRORS_DOC]),
    ];
    if (stale.length === 0) {
      process.stdout.write(`${TARGET} and ${ERRORS_DOC} are up to date.\n`);
      return 0;
    }
    process.stderr.write(`${stale.join(' and ')} stale: the admin API changed. Run \`npm run openapi\` and commit the result.\n`);
    return 1;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(document, null, 2) + '\n');
  writeFileSync(docPath, errorsDoc);
  process.stdout.write(`wrote ${TARGET} (${Object.keys(document.paths as object).length} paths) and ${ERRORS_DOC}\n`);
  return 0;
}

process.exit(main());
