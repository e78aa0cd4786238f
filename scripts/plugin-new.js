#!/usr/bin/env node
// Scaffolds a plugin in plugins/<id>/ that passes its tests as generated:
//   npm run plugin:new -- <id>            a network adapter
//   npm run plugin:new -- --target <id>   a forwarding target (an ad platform's conversions API)
//   npm run plugin:new -- --scorer <id>   a fraud scorer
// Plain CommonJS without dependencies, so it runs before anything is built.
'use strict';

const { mkdirSync, writeFileSync, existsSync, rmSync } = require('node:fs');
const { join, relative } = require('node:path');
const { targetFiles } = require('./plugin-target-files');
const { scorerFiles } = require('./plugin-scorer-files');

const ID_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;
const ROOT = join(__dirname, '..');
const PLUGINS_DIR = join(ROOT, 'plugins');

function fail(message) {
  console.error(`plugin:new: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const isTarget = args[0] === '--target';
const isScorer = args[0] === '--scorer';
if (isTarget || isScorer) args.shift();
if (args.length !== 1 || args[0].startsWith('-')) {
  fail(
    'usage: npm run plugin:new -- <id>            a network adapter\n' +
      '       npm run plugin:new -- --target <id>   a forwarding target\n' +
      '       npm run plugin:new -- --scorer <id>   a fraud scorer\n' +
      '  <id>: lower-case letters, digits and dashes, starting with a letter, 2-41 characters (e.g. my-network)',
  );
}
const id = args[0];
if (!ID_PATTERN.test(id)) fail(`"${id}" is not a valid plugin id: use lower-case letters, digits and dashes, starting with a letter, 2-41 characters`);
if (/--|-$/.test(id)) fail(`"${id}" is not a valid plugin id: no trailing or doubled dashes`);

const dir = join(PLUGINS_DIR, id);
if (existsSync(dir)) fail(`plugins/${id} already exists; pick another id or edit that plugin`);

const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const adapterName = `${camel}Adapter`;
const displayName = id
  .split('-')
  .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
  .join(' ');

const CLICK_ID = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';
const templateQuery = 'click_id={click_id}&txid={txid}&payout={payout}&status={status}';

const adapterFiles = {
  [`${id}.adapter.ts`]: `import { BadParameterError, canonicalFrom, clickIdParamSetting, defineAdapter, ignoredEvent, requestParams } from '@postwire/plugin-sdk';
import type { AdapterRequest } from '@postwire/plugin-sdk';

// Networks leave a macro they cannot fill as literal text (\`{payout}\`) and send unused ones
// empty; both mean "not sent", never a value to validate.
function sentParams(request: AdapterRequest): Record<string, string> {
  const sent: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(requestParams(request))) {
    const trimmed = value.trim();
    if (trimmed !== '' && !/^\\{[^{}]*\\}$/.test(trimmed)) sent[name] = value;
  }
  return sent;
}

/** TODO: the event types ${displayName} sends that are conversions. */
const SALE_EVENTS = new Set(['sale']);

/**
 * ${displayName} postbacks.
 * TODO: say which postback this is (affiliate/partner postback, webhook …), its method and where
 * its format is documented; keep the details in README.md.
 */
export const ${adapterName} = defineAdapter({
  id: '${id}',
  displayName: '${displayName}',
  methods: ['GET'],
  // TODO: what ${displayName} really sends (docs/plugins.md, "Limits"); these are the generic endpoint's.
  limits: { maxFields: 64, maxValueLength: 2048, maxBodyBytes: 64 * 1024, allowLineBreaks: false },
  // The settings an admin gives when attaching ${displayName} to a network. The console renders its
  // form from these: \`title\` labels the field, \`help\` sits under it, an \`enum\` is a select and a
  // \`secret\` is masked (and sealed at rest). TODO: keep what ${displayName} needs, delete the rest.
  configSchema: {
    clickIdParam: clickIdParamSetting('The ${displayName} parameter you set to {click_id} in the tracking link', 'click_id', {
      choices: ['click_id', 'sub1', 'sub2', 'sub3'],
    }),
    postbackSecret: {
      type: 'string',
      title: 'Postback secret',
      description: 'TODO: the shared secret ${displayName} signs its postbacks with, if it signs them',
      help: 'TODO: where in ${displayName} to find it',
      secret: true,
    },
  },
  parse(request, config) {
    const params = sentParams(request);
    // An event type that is not a conversion is a result, not an error: the tracker acknowledges it
    // (networks retry refusals) and logs it \`ignored\`. TODO: the parameter ${displayName} names its events by.
    if (params.event !== undefined && !SALE_EVENTS.has(params.event)) return ignoredEvent(params.event);
    // TODO: replace these names with the parameters of your postback URL template below.
    const clickId = params[config.clickIdParam];
    if (clickId === undefined) throw new BadParameterError(config.clickIdParam, 'is required: it carries the Postwire click id');
    return [canonicalFrom({ clickId, txid: params.txid, payout: params.payout, status: params.status })];
  },
  postbackUrlTemplate(trackerUrl, network) {
    // TODO: put the network's own macros on the right-hand side, e.g. click_id={sub1}&payout={payout}.
    return \`\${trackerUrl.replace(/\\/+$/, '')}/postback/\${network.slug}?${templateQuery}\`;
  },
});
`,

  'index.ts': `import { definePlugin } from '@postwire/plugin-sdk';
import { ${adapterName} } from './${id}.adapter';

export default definePlugin({ adapters: [${adapterName}] });
`,

  [`${id}.adapter.spec.ts`]: `import { join } from 'node:path';
import { runAdapterConformance } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { ${adapterName} } from './${id}.adapter';

runAdapterConformance(${adapterName}, { fixturesDir: join(__dirname, 'fixtures') });

describe('${id} adapter', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.adapters).toEqual([${adapterName}]);
  });

  it('gives the URL to paste into ${displayName}', () => {
    expect(${adapterName}.postbackUrlTemplate('https://t.example/', { id: 'n1', slug: '${id}' })).toBe(
      'https://t.example/postback/${id}?${templateQuery}',
    );
  });
});
`,

  'README.md': `# ${displayName} adapter

TODO: one paragraph on what ${displayName} sends (method, content type, signature if any).

## Where the format comes from

- TODO: link the network's postback documentation (page and section) for every parameter used.

## Setup

1. In ${displayName}'s tracking link, put Postwire's \`{click_id}\` into TODO (the parameter the network echoes back).
2. Paste the URL from \`GET /api/networks/<id>/postback-url\` (built by \`postbackUrlTemplate\`) as the postback URL in ${displayName}.

## Mapping

| ${displayName} parameter | Postwire field |
| --- | --- |
| \`click_id\` | \`clickId\` (required) |
| \`txid\` | \`txid\` |
| \`payout\` | \`payout\` |
| \`status\` | \`status\` (Postwire status words) |

## Limits

TODO: the most fields, the longest value, the body size and whether values carry line breaks, with
where each figure comes from (documentation or real samples).

## Answer contract

TODO: what ${displayName} must hear back, what it does with other answers (retries, disabling the
URL), and what happens to event types the adapter does not use and to notifications without click id.

## Status rules

TODO: each ${displayName} status, what it becomes, and where that is confirmed.

## Not confirmed

- TODO: list every macro, status value or behaviour you could not confirm in the network's documentation.
`,

  'fixtures/basic.json': `${JSON.stringify(
    {
      name: 'approved conversion',
      source: 'TODO: the documentation page (URL and section) or the captured request this comes from',
      request: {
        method: 'GET',
        query: { click_id: CLICK_ID, txid: 'T-1001', payout: '2.50', status: 'approved' },
      },
      expect: [{ clickId: CLICK_ID, txid: 'T-1001', payout: '2.5', status: 'approved' }],
    },
    null,
    2,
  )}\n`,

  'fixtures/unknown-event.json': `${JSON.stringify(
    {
      name: 'an event type that is not a conversion is ignored (the tracker acknowledges it)',
      source: 'TODO: the documentation page (URL and section) or the captured request this comes from',
      request: { method: 'GET', query: { click_id: CLICK_ID, event: 'lead_updated' } },
      expect: { ignored: true, event: 'lead_updated' },
      unknownEvent: true,
    },
    null,
    2,
  )}\n`,
};

const files = isTarget ? targetFiles({ id, camel, displayName }) : isScorer ? scorerFiles({ id, camel, displayName }) : adapterFiles;

try {
  // Not recursive: if another run created the folder in the meantime this fails instead of mixing files.
  mkdirSync(dir);
  if (!isTarget && !isScorer) mkdirSync(join(dir, 'fixtures'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content, { flag: 'wx' });
} catch (error) {
  if (error && error.code === 'EEXIST') fail(`plugins/${id} appeared while scaffolding; nothing was overwritten`);
  rmSync(dir, { recursive: true, force: true });
  fail(`could not create plugins/${id}: ${error && error.message}`);
}

console.log(`Created plugins/${id}/:`);
for (const name of Object.keys(files)) console.log(`  ${relative(ROOT, join(dir, name))}`);
console.log(`\nNext: npm test -- plugins/${id}   (or npx jest plugins/${id})`);
console.log(
  isScorer
    ? 'Then replace the TODOs with what the scorer really judges (README.md says what to change), and see docs/plugins.md#fraud-scorers.'
    : isTarget
      ? "Then replace the TODOs with the platform's real endpoint, fields and answers (README.md says what to change), and see docs/plugins.md."
      : "Then replace the TODOs with the network's real parameters, add fixtures from its documentation, and see docs/plugins.md.",
);
