import { createDecipheriv, createHash } from 'node:crypto';
import { join } from 'node:path';
import { isIgnoredEvent } from '@postwire/plugin-sdk';
import type { FixtureRequest, LoadedFixture } from '@postwire/plugin-sdk/testing';

const PLUGINS_DIR = join(__dirname, '..', '..', 'plugins');
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `clickId` as `adapter`'s own: the same first 10 characters (a click id's time, which the stored click's
 * partition and the attribution window go by), then 20 characters derived from the adapter and the id.
 */
function ownClickId(adapter: string, clickId: string): string {
  const digest = createHash('sha256').update(`${adapter}:${clickId}`).digest();
  return clickId.slice(0, 10) + Array.from(digest.subarray(0, 20), (byte) => CROCKFORD[byte % 32]).join('');
}

/** Rewrites the request's texts with `swap`, keeping it valid for its adapter. */
type Respell = (request: FixtureRequest, swap: (text: string) => string) => FixtureRequest;

const swapValues = (values: Record<string, string>, swap: (text: string) => string) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, swap(value)]));

const plain: Respell = (request, swap) => ({
  ...request,
  ...(request.query ? { query: swapValues(request.query, swap) } : {}),
  ...(request.headers ? { headers: swapValues(request.headers, swap) } : {}),
  ...(request.body !== undefined ? { body: swap(request.body) } : {}),
});

/** ClickBank: decrypted, rewritten and encrypted again with the fixture's key and IV, as its fixture maker encrypts. */
const reencrypted: Respell = (request, swap) => {
  const { SECRET_KEY, encrypt, keyFor } = require(join(PLUGINS_DIR, 'clickbank/fixtures/make-fixtures.js'));
  const envelope = JSON.parse(request.body ?? '') as { notification: string; iv: string };
  const iv = Buffer.from(envelope.iv, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', keyFor(SECRET_KEY), iv);
  const notification = Buffer.concat([decipher.update(envelope.notification, 'base64'), decipher.final()]).toString('utf8');
  return { ...request, body: JSON.stringify({ notification: encrypt(swap(notification), SECRET_KEY, iv), iv: envelope.iv }) };
};

/** Digistore24: the fields rewritten and signed again in the variant (field names as sent or upper-cased) the fixture was signed in. */
const resigned: Respell = (request, swap) => {
  const { PASSPHRASE, sign } = require(join(PLUGINS_DIR, 'digistore24/fixtures/make-fixtures.js'));
  const { sha_sign: signature, ...fields } = Object.fromEntries(new URLSearchParams(request.body));
  const upperCaseKeys = [false, true].find((upper) => sign(fields, PASSPHRASE, upper) === signature);
  if (upperCaseKeys === undefined) throw new Error('a Digistore24 fixture that expects a conversion is not signed with the test passphrase');
  const rewritten = swapValues(fields, swap);
  return { ...request, body: new URLSearchParams({ ...rewritten, sha_sign: sign(rewritten, PASSPHRASE, upperCaseKeys) }).toString() };
};

const RESPELL: Record<string, Respell> = { clickbank: reencrypted, digistore24: resigned };

/**
 * The fixture with its click ids made `adapter`'s own ({@link ownClickId}), in its request and in what it expects.
 *
 * Why: the adapters' fixtures were written with the same few click ids (five adapters name `01hq3v8x…`, ClickBank
 * and Digistore24 `01jbq3x7…`), and on one tracker a click belongs to one network: another network's postback for it
 * is rejected (`network_mismatch`). With ids of its own, each adapter can be tested on the same app as the others.
 * A signed or encrypted request is signed or encrypted again as its fixture maker does it. A fixture that names no
 * click in what it expects (a refusal, an ignored event, no postbacks) is returned as it is: it never reaches a
 * click, and re-signing one that must fail its signature check would defeat it.
 */
export function withOwnClickIds(adapter: string, loaded: LoadedFixture): LoadedFixture {
  const { fixture } = loaded;
  if (!fixture.expect || isIgnoredEvent(fixture.expect)) return loaded;
  const clickIds = [...new Set(fixture.expect.flatMap((p) => (p.clickId ? [p.clickId] : [])))];
  if (clickIds.length === 0) return loaded;
  const found = new Set<string>();
  const swap = (text: string) =>
    clickIds.reduce(
      (out, clickId) =>
        out.replace(new RegExp(clickId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), (match) => {
          found.add(clickId);
          // ClickBank upper-cases tracking codes on their way (fixture 10): the same spelling, in the same case.
          if (match === clickId) return ownClickId(adapter, clickId);
          if (match === clickId.toUpperCase()) return ownClickId(adapter, clickId).toUpperCase();
          throw new Error(`${adapter}/${loaded.file}: click id ${clickId} spelled ${match}`);
        }),
      text,
    );
  const request = (RESPELL[adapter] ?? plain)(fixture.request, swap);
  // An id the expectation names but the request was not found to hold would stay another adapter's click.
  const missed = clickIds.filter((clickId) => !found.has(clickId));
  if (missed.length) throw new Error(`${adapter}/${loaded.file}: click id ${missed.join(', ')} not found in the request`);
  const expect = fixture.expect.map((p) => (p.clickId ? { ...p, clickId: ownClickId(adapter, p.clickId) } : p));
  return { file: loaded.file, fixture: { ...fixture, request, expect } };
}
