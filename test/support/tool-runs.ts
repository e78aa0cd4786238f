import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

// The repository's own tools run over several plugin folders at once (each spawn pays the tool's whole
// start-up again), with what they report told apart by plugin, so each plugin's test still fails alone.

const ROOT = join(__dirname, '..', '..');

export type ToolRun = SpawnSyncReturns<string>;

/** A script of the repository (scripts/…), with this Node, from the repository's root. */
export function runScript(script: string, args: string[]): ToolRun {
  return spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** A local tool of node_modules/.bin, the way npm scripts run it. */
export function runTool(bin: string, args: string[]): ToolRun {
  return spawnSync(join(ROOT, 'node_modules', '.bin', bin), args, { cwd: ROOT, encoding: 'utf8' });
}

/** Whether `path` (absolute) is a file of `plugins/<id>/`. */
export function inPlugin(path: string, id: string): boolean {
  return path.startsWith(join(ROOT, 'plugins', id) + sep);
}

/**
 * What a tool that names files by their path from the root (tsc, Prettier) printed about `plugins/<id>/`:
 * its lines naming that folder. A failed run that names none of `ids` failed for a reason no plugin owns,
 * and counts against each.
 */
export function linesAbout(run: ToolRun, id: string, ids: readonly string[]): string[] {
  const lines = `${run.stdout}${run.stderr}`.split('\n');
  const about = (one: string) => lines.filter((line) => line.includes(`plugins/${one}/`));
  if (about(id).length > 0 || run.status === 0 || ids.some((other) => about(other).length > 0)) return about(id);
  return [`exit status ${run.status}${run.error ? ` (${run.error.message})` : ''}`, ...lines];
}

export interface SpecFileResult {
  name: string;
  status: string;
  message: string;
  assertionResults: Array<{ ancestorTitles: string[]; fullName: string; status: string }>;
}

/**
 * Jest over the plugin folders, the unit project as a plugin's author runs it (`npx jest plugins/<id>/`),
 * in one run; the results per spec file are read from its `--json` report.
 */
export function runPluginSpecs(folders: readonly string[], reportFile: string): { run: ToolRun; files: () => SpecFileResult[] } {
  // The folders before --selectProjects: a path after it would be read as one more project name.
  const args = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...folders, '--selectProjects', 'unit', '--json', `--outputFile=${reportFile}`];
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
  });
  const files = () => {
    if (!existsSync(reportFile)) throw new Error(`Jest wrote no report (exit status ${run.status}):\n${run.stdout}${run.stderr}`);
    return (JSON.parse(readFileSync(reportFile, 'utf8')) as { testResults: SpecFileResult[] }).testResults;
  };
  return { run, files };
}

export interface LintedFile {
  filePath: string;
  messages: Array<{ line: number; ruleId: string | null; message: string }>;
}

/** ESLint over the plugin folders in one run, with the project's configuration; its findings per file from `--format json`. */
export function lintPlugins(folders: readonly string[]): { run: ToolRun; files: () => LintedFile[] } {
  const run = runTool('eslint', ['--format', 'json', ...folders]);
  const files = () => {
    try {
      return JSON.parse(run.stdout) as LintedFile[];
    } catch {
      throw new Error(`ESLint printed no report (exit status ${run.status}):\n${run.stdout}${run.stderr}`);
    }
  };
  return { run, files };
}
