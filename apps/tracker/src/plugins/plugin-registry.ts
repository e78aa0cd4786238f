// The registry lives in libs/runtime: the worker loads the same plugins to build target deliveries.
export { BUILT_IN_PLUGINS_DIR, PluginLoadError, PluginRegistry } from '@postwire/runtime';
