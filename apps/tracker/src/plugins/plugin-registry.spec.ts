import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginLoadError, PluginRegistry } from './plugin-registry';

const adapterModule = (id: string) => `module.exports = { default: { adapters: [{ id: '${id}', displayName: '${id}', methods: ['GET'], configSchema: {},
  parse: () => [], postbackUrlTemplate: (t) => t + '/postback/x' }] } };`;

describe('PluginRegistry', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'postwire-plugins-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every built-in plugin folder without a hand-kept list', () => {
    const registry = PluginRegistry.load();
    const ids = registry.listAdapters().map((a) => a.adapter.id);
    expect(ids).toEqual(expect.arrayContaining(['generic', 'everflow', 'affise', 'impact', 'tune', 'clickbank', 'digistore24']));
    expect(registry.listPresets().length).toBeGreaterThanOrEqual(3);
  });

  it('finds forwarding targets like adapters, with the built-in postback URL target always there', () => {
    const registry = PluginRegistry.load();
    expect(registry.target('postback-url')?.displayName).toBe('Postback URL');
    expect(registry.target('meta-capi')?.displayName).toBe('Meta Conversions API');
    const only = PluginRegistry.load({ builtInDir: join(dir, 'none') });
    expect(only.listTargets().map((t) => t.target.id)).toEqual(['postback-url']);
    writeFileSync(join(dir, 'dup-target.js'), "module.exports = { targets: [{ id: 'postback-url' }] };");
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'none'), external: [join(dir, 'dup-target.js')] })).toThrow(
      /Two plugins define the forwarding target "postback-url": built-in and/,
    );
  });

  it('loads a folder plugin and an external plugin given by path', () => {
    mkdirSync(join(dir, 'builtin', 'alpha'), { recursive: true });
    writeFileSync(join(dir, 'builtin', 'alpha', 'index.js'), adapterModule('alpha'));
    writeFileSync(join(dir, 'external.js'), adapterModule('beta'));
    const registry = PluginRegistry.load({ builtInDir: join(dir, 'builtin'), external: ['./external.js'], cwd: dir });
    expect(registry.adapter('alpha')?.displayName).toBe('alpha');
    expect(registry.adapter('beta')?.displayName).toBe('beta');
  });

  it('stops with a clear message when two plugins claim one id', () => {
    mkdirSync(join(dir, 'builtin', 'one'), { recursive: true });
    writeFileSync(join(dir, 'builtin', 'one', 'index.js'), adapterModule('same'));
    writeFileSync(join(dir, 'dup.js'), adapterModule('same'));
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'builtin'), external: [join(dir, 'dup.js')] })).toThrow(
      new PluginLoadError(`Two plugins define the network adapter "same": plugins/one and ${join(dir, 'dup.js')}. Remove one or rename its id.`),
    );
  });

  it('accepts a plugin that brings only forwarding targets (ad platforms)', () => {
    mkdirSync(join(dir, 'builtin', 'ads'), { recursive: true });
    writeFileSync(join(dir, 'builtin', 'ads', 'index.js'), `module.exports = { default: { targets: [{ id: 'ads' }] } };`);
    expect(PluginRegistry.load({ builtInDir: join(dir, 'builtin') }).listAdapters()).toEqual([]);
    mkdirSync(join(dir, 'broken', 'ads'), { recursive: true });
    writeFileSync(join(dir, 'broken', 'ads', 'index.js'), `module.exports = { default: { targets: 'ads' } };`);
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'broken') })).toThrow(/exports no adapters, presets, targets or scorers/);
  });

  it('finds fraud scorers like targets, with their declared weights, and refuses an unsound declaration', () => {
    expect(PluginRegistry.load().scorerWeights()).toMatchObject({ 'ip-reputation-file:listed': 60 });
    const scorer = (id: string, code: string) =>
      `module.exports = { scorers: [{ id: '${id}', description: 'x', reasons: [{ code: '${code}', defaultWeight: 20, label: 'y' }], scoreClick: () => ({ outcome: 'not_supported' }) }] };`;
    writeFileSync(join(dir, 'good.js'), scorer('good', 'good:hit'));
    const registry = PluginRegistry.load({ builtInDir: join(dir, 'none'), external: [join(dir, 'good.js')] });
    expect(registry.listScorers().map((s) => s.scorer.id)).toEqual(['good']);
    expect(registry.scorerWeights()).toEqual({ 'good:hit': 20 });
    writeFileSync(join(dir, 'bad.js'), scorer('bad', 'bot_user_agent'));
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'none'), external: [join(dir, 'bad.js')] })).toThrow(
      /The fraud scorer "bad" of .*bad\.js: reason "bot_user_agent" must be "bad:<code>"/,
    );
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'none'), external: [join(dir, 'good.js'), join(dir, 'good.js')] })).toThrow(
      /Two plugins define the fraud scorer "good"/,
    );
  });

  it('refuses a module that is not a plugin, naming it', () => {
    writeFileSync(join(dir, 'nothing.js'), 'module.exports = { hello: 1 };');
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'none'), external: [join(dir, 'nothing.js')] })).toThrow(
      /nothing\.js exports no adapters, presets, targets or scorers/,
    );
    expect(() => PluginRegistry.load({ builtInDir: join(dir, 'none'), external: ['postwire-plugin-that-does-not-exist'] })).toThrow(
      /Cannot load plugin postwire-plugin-that-does-not-exist/,
    );
  });
});
