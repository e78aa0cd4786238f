// The files `npm run plugin:new -- --scorer <id>` writes: a fraud scorer that passes typecheck, lint,
// prettier and its own tests (the scorer conformance kit) as generated.
// Plain CommonJS without dependencies, like plugin-new.js which uses it.
'use strict';

/** @param {{ id: string, camel: string, displayName: string }} names */
function scorerFiles({ id, camel, displayName }) {
  const scorerName = `${camel}Scorer`;
  const code = `${id}:suspicious`;

  return {
    [`${id}.scorer.ts`]: `import { defineScorer, type ScorerClick, type ScorerResult } from '@postwire/plugin-sdk';

/**
 * ${displayName}: a fraud scorer (docs/plugins.md#fraud-scorers).
 * TODO: say what it looks at and where its data comes from; keep the details in README.md.
 */
export const ${scorerName} = defineScorer({
  id: '${id}',
  description: 'TODO: one line for operators: what it looks at, where its data comes from.',
  reasons: [{ code: '${code}', defaultWeight: 40, label: 'TODO: what it means when it fires' }],
  // A scorer may be async (a paid service): pass ctx.signal to fetch, so Postwire's timeout cancels the call.
  scoreClick: (click, ctx) => judge(click, ctx.signal),
  scoreConversion: (conversion, ctx) => judge(conversion.click, ctx.signal),
});

/** TODO: replace with the real judgement. "Not supported" is a result, never an exception. */
function judge(click: ScorerClick, signal: AbortSignal): ScorerResult {
  if (signal.aborted) return { outcome: 'unavailable', reason: 'timed out' };
  if (!click.userAgent) return { outcome: 'not_supported' };
  const fired = click.userAgent.length > 500;
  return {
    outcome: 'scored',
    signals: [{ code: '${code}', fired, value: \`\${click.userAgent.length} characters\`, threshold: 'more than 500 characters' }],
  };
}
`,
    [`${id}.scorer.spec.ts`]: `import { runScorerConformance } from '@postwire/plugin-sdk/testing';
import { ${scorerName} } from './${id}.scorer';

const click = (userAgent: string | null) => ({ id: 'k', campaignId: 'c', at: new Date(0), ip: '203.0.113.9', userAgent, subs: {} });
const ctx = { signal: new AbortController().signal };

runScorerConformance(${scorerName});

describe('${id} scorer', () => {
  it('fires on what it is for, and only then', async () => {
    expect(await ${scorerName}.scoreClick!(click('x'.repeat(600)), ctx)).toMatchObject({ outcome: 'scored', signals: [{ fired: true }] });
    expect(await ${scorerName}.scoreClick!(click('Mozilla/5.0'), ctx)).toMatchObject({ outcome: 'scored', signals: [{ fired: false }] });
  });

  it('is not supported without its input', async () => {
    expect(await ${scorerName}.scoreClick!(click(null), ctx)).toEqual({ outcome: 'not_supported' });
  });
});
`,
    'index.ts': `import { definePlugin } from '@postwire/plugin-sdk';
import { ${scorerName} } from './${id}.scorer';

export default definePlugin({ scorers: [${scorerName}] });
`,
    'README.md': `# ${displayName}: a fraud scorer

TODO: what this scorer looks at, where its data comes from (and its licence), and what an operator sets
up. See [docs/plugins.md](../../docs/plugins.md#fraud-scorers).

| Reason code | Default weight | Fires when |
|---|---|---|
| \`${code}\` | 40 | TODO |

A policy weighs it like any signal: \`"weights": { "${code}": 60 }\`.

Tests: \`${id}.scorer.spec.ts\` runs the scorer conformance kit and the scorer's own cases.
`,
  };
}

module.exports = { scorerFiles };
