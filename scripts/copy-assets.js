// Copies the non-TypeScript files the build needs (SQL migrations) next to the compiled code.
const { cpSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
cpSync(join(root, 'libs/persistence/src/migrations/sql'), join(root, 'dist/libs/persistence/src/migrations/sql'), { recursive: true });
