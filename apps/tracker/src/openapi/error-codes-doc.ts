import { ERROR_CODES, ERROR_CODE_LIST } from '../http/error-codes';

/** docs/api-errors.md, rendered from the one declaration of the error codes (never edited by hand). */
export function renderErrorCodesDoc(): string {
  const rows = [...ERROR_CODE_LIST]
    .sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b))
    .map((code) => `| \`${code}\` | ${ERROR_CODES[code].status} | ${ERROR_CODES[code].meaning.replace(/\|/g, '\\|')} |`);
  return [
    '# API error codes',
    '',
    '<!-- Generated from apps/tracker/src/http/error-codes.ts by `npm run openapi`; `npm run openapi:check` fails when it is stale. -->',
    '',
    'Every refusal of the tracker (admin API, clicks, postbacks) has one JSON shape:',
    '`{ "error": "<code>", "message": "<words for a person>", "param": "<the parameter at fault, on a 400>" }`.',
    'A program branches on `error`; the HTTP status always goes with the code as below. The OpenAPI',
    "document (`/api/openapi.json`) lists the same codes as the `Error` schema's enum.",
    '',
    '| Code | Status | Meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
