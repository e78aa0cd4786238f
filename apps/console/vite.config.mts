import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console is served by the tracker under /console; hashed assets, no inline scripts (CSP). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // The one exact-decimal codec and the report column registry live in libs/core; these files import nothing else, so no Node code enters the bundle.
  resolve: {
    alias: {
      '@postwire/core/money': fileURLToPath(new URL('../../libs/core/src/money/decimal-amount.ts', import.meta.url)),
      '@postwire/core/report-columns': fileURLToPath(new URL('../../libs/core/src/reports/report-columns.ts', import.meta.url)),
      '@postwire/core/paging': fileURLToPath(new URL('../../libs/core/src/paging/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
    manifest: true,
    rolldownOptions: {
      // Mantine marks its modules 'use client' for React Server Components; meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/c/': 'http://127.0.0.1:3000' } },
});
