import { ESLint } from 'eslint';

/**
 * Each architecture rule of `eslint.config.mjs` fails on a deliberately bad import. A case lints a
 * small text as if it were the file at `filePath` (which is how ESLint picks the rules that apply),
 * so adding a rule means adding a row here; console cases belong in the same table.
 */
interface LintCase {
  /** What the row proves. */
  name: string;
  filePath: string;
  code: string;
  /** The rule that must report it. */
  rule: 'no-restricted-imports' | 'import-x/no-cycle';
}

const CASES: LintCase[] = [
  {
    name: 'an import cycle (access-scope → client-visible → client-view.interceptor → access-scope)',
    filePath: 'apps/tracker/src/access/access-scope.ts',
    code: "import { ClientVisible } from './client-visible';\nexport const marks = [ClientVisible];\n",
    rule: 'import-x/no-cycle',
  },
  {
    name: "a feature importing another feature's internals",
    filePath: 'apps/tracker/src/campaigns/bad.ts',
    code: "import { CampaignRoutes } from '../clicks/campaign-routes';\nexport const routes = CampaignRoutes;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'the shared admin access importing a feature',
    filePath: 'apps/tracker/src/access/bad.ts',
    code: "import { ClicksModule } from '../clicks';\nexport const clicks = ClicksModule;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'the http toolbox importing a feature',
    filePath: 'apps/tracker/src/http/bad.ts',
    code: "import { ReportsModule } from '../reports';\nexport const reports = ReportsModule;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'the postback guards importing the admin access',
    filePath: 'apps/tracker/src/guards/bad.ts',
    code: "import { AdminAuthGuard } from '../access/admin-auth.guard';\nexport const guard = AdminAuthGuard;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'the tracker importing the worker',
    filePath: 'apps/tracker/src/clicks/bad.ts',
    code: "import { WorkerModule } from '@postwire/worker';\nexport const worker = WorkerModule;\n",
    rule: 'no-restricted-imports',
  },
  ...(
    [
      ['core', '@postwire/security'],
      ['plugin-sdk', '@postwire/persistence'],
      ['security', '@postwire/config'],
      ['config', '@postwire/persistence'],
      ['persistence', '@postwire/forwarding'],
      ['forwarding', '@postwire/persistence'],
      ['runtime', '@postwire/forwarding'],
    ] as const
  ).map(([layer, above]): LintCase => ({
    name: `libs/${layer} importing ${above}`,
    filePath: `libs/${layer}/src/bad.ts`,
    code: `import * as above from '${above}';\nexport const x = above;\n`,
    rule: 'no-restricted-imports',
  })),
  {
    name: 'a lib reaching a layer above by relative path',
    filePath: 'libs/core/src/bad.ts',
    code: "import * as persistence from '../../persistence/src/index';\nexport const x = persistence;\n",
    rule: 'no-restricted-imports',
  },
  {
    name: 'a plugin importing the engine instead of the SDK',
    filePath: 'plugins/bad/src/index.ts',
    code: "import * as core from '@postwire/core';\nexport const x = core;\n",
    rule: 'no-restricted-imports',
  },
];

/** Imports each rule must let through, so a rule that refuses everything fails too. */
const ALLOWED: Array<Omit<LintCase, 'rule'>> = [
  {
    name: 'a feature importing another feature by its index',
    filePath: 'apps/tracker/src/campaigns/good.ts',
    code: "import { CampaignRoutes } from '../clicks';\nexport const routes = CampaignRoutes;\n",
  },
  {
    name: 'a feature importing the toolbox and the shared access',
    filePath: 'apps/tracker/src/offers/good.ts',
    code: "import { AdminAuthGuard } from '../access/admin-auth.guard';\nimport { ApiError } from '../http/api-error';\nexport const x = [AdminAuthGuard, ApiError];\n",
  },
];

describe('architecture lint rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lint = async (c: Omit<LintCase, 'rule'>) => (await eslint.lintText(c.code, { filePath: c.filePath }))[0].messages;

  it.each(CASES)('refuse $name ($rule)', async (c) => {
    const messages = await lint(c);
    expect(messages.map((m) => m.ruleId)).toContain(c.rule);
  });

  it.each(ALLOWED)('allow $name', async (c) => {
    const messages = await lint(c);
    expect(messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'import-x/no-cycle')).toEqual([]);
  });
});
