/// <reference types="node" />
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

// The console's import boundaries (eslint.config.mjs, "Console boundaries"), each shown failing on a
// deliberately bad import, and the allowed neighbour of each shown passing, so a rule that refused
// everything would fail here too.
const root = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function refusal(file: string, source: string): Promise<string | undefined> {
  const [result] = await eslint.lintText(`import { thing } from '${source}';\nexport { thing };\n`, { filePath: resolve(root, 'apps/console/src', file) });
  return result.messages.find((m) => m.ruleId === 'no-restricted-imports')?.message;
}

const refused: Array<[string, string, RegExp]> = [
  ['pages/offers/Offers.tsx', '../networks/Networks', /another page folder's internals/],
  ['pages/offers/Offers.tsx', '../../pages/networks/Networks', /another page folder's internals/],
  ['pages/offers/queries.ts', '../networks/NetworkForm', /another page folder's internals/],
  ['pages/offers/Offers.tsx', '../../api/client', /through its feature's queries.ts/],
  ['pages/offers/Offers.tsx', '../../api/endpoints', /through its feature's queries.ts/],
  ['pages/offers/Offers.tsx', '@tanstack/react-query', /through its feature's queries.ts/],
  ['components/Shell.tsx', '../pages/users/Users', /never import pages/],
  ['components/forms/ApiForm.tsx', '../../pages/users/Users', /never import pages/],
  ['components/forms/ApiForm.tsx', '../../../tracker/src/http/api-error', /outside apps\/console\/src/],
  ['lib/format.ts', '../pages/networks/queries', /never import pages/],
  ['auth/session.tsx', '../pages/sign-in/SignIn', /never import pages/],
  ['pages/networks/Networks.tsx', '@postwire/core', /only through api/],
  ['lib/stats.ts', '@postwire/persistence/src/reports', /only through api/],
  ['lib/stats.ts', '@postwire/core/reports', /only through api/],
  ['components/paging/Pager.tsx', '@postwire/core/paging/keyset', /only through api/],
  ['components/states.tsx', '../../../tracker/src/admin/errors', /outside apps\/console\/src/],
  ['App.tsx', '../../../libs/core/src', /only through api/],
  ['App.tsx', '../vite.config.mts', /outside apps\/console\/src/],
  ['pages/reports/Reports.tsx', '../../../tsconfig.json', /outside apps\/console\/src/],
];

const allowed: Array<[string, string]> = [
  ['pages/offers/Offers.tsx', '../networks/queries'],
  ['pages/offers/Offers.tsx', './queries'],
  ['pages/offers/Offers.tsx', '../../components/states'],
  ['pages/offers/Offers.tsx', '../../api/responses'],
  ['pages/offers/queries.ts', '../../api/client'],
  ['pages/offers/queries.ts', '@tanstack/react-query'],
  ['components/lifecycle/History.tsx', '../../lib/lifecycle'],
  ['components/Shell.tsx', '../routes'],
  ['App.tsx', './pages/users/Users'],
  ['api/endpoints.ts', '@postwire/core'],
  ['lib/stats.ts', '@postwire/core/report-columns'],
  ['components/paging/Pager.tsx', '@postwire/core/paging'],
];

describe('console import boundaries', () => {
  it.each(refused)('refuses, in %s, an import of %s', async (file, source, message) => {
    expect(await refusal(file, source)).toMatch(message);
  });

  it.each(allowed)('allows, in %s, an import of %s', async (file, source) => {
    expect(await refusal(file, source)).toBeUndefined();
  });
});
