// Compiles the shipped IP-to-ASN data set into the tables the tracker holds in memory, beside the compiled
// AsnDatabase in dist/ (libs/security/src/asn-database.ts): loading them at boot takes milliseconds and little
// memory, where parsing the 32 MB of CSV takes ~0.6 s of CPU and leaves ~40 MB of RSS behind.
const { join } = require('node:path');

const root = join(__dirname, '..');
const { AsnDatabase, shippedAsnDataDir, SHIPPED_COMPILED_ASN_FILE } = require(join(root, 'dist/libs/security/src/asn-database'));
const db = AsnDatabase.compile(shippedAsnDataDir(), SHIPPED_COMPILED_ASN_FILE);
if (db.size < 100_000) throw new Error(`the shipped ASN data has only ${db.size} ranges`);
