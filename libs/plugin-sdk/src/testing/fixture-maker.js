/*
 * The shared half of the plugins' `fixtures/make-fixtures.js` scripts: collecting fixtures,
 * the request shape of a POST fixture, and writing the files when a script is run directly.
 * What is network-specific (field sets, signing, encryption) stays in each plugin's script.
 *
 * Plain JavaScript on purpose: the scripts run with bare `node`, without ts-node or a build.
 * The adapter specs compare the files on disk with what the scripts build, byte for byte.
 */
'use strict';

const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** A list of `{ file, fixture }` and the `add(file, fixture)` that fills it, refusing a file name twice. */
function fixtureSet() {
  const fixtures = [];
  const add = (file, fixture) => {
    if (!/^[\w.-]+\.json$/.test(file)) throw new Error(`fixture file name ${file} must be a plain .json name`);
    if (fixtures.some((f) => f.file === file)) throw new Error(`fixture file ${file} is added twice`);
    fixtures.push({ file, fixture });
  };
  return { fixtures, add };
}

/** The request of a fixture posted to `/postback/<adapterId>` with the given content type and body. */
function postRequest(adapterId, contentType, body) {
  return { method: 'POST', path: `/postback/${adapterId}`, contentType, body };
}

/** A fixture file's text: two-space JSON with a final newline. */
function fixtureText(fixture) {
  return `${JSON.stringify(fixture, null, 2)}\n`;
}

/** Writes the fixtures into `dir` when the calling script is run directly (`node make-fixtures.js`). */
function writeWhenRunDirectly(callerModule, dir, buildFixtures) {
  if (require.main !== callerModule) return;
  for (const { file, fixture } of buildFixtures()) writeFileSync(join(dir, file), fixtureText(fixture));
}

module.exports = { fixtureSet, postRequest, fixtureText, writeWhenRunDirectly };
