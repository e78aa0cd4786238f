import { describe, expect, it } from '@jest/globals';
import {
  type AnyAdapter,
  checkFixture,
  checkFixtureAnswer,
  checkFixtureResponse,
  checkPostbackUrlTemplate,
  configSchemaProblems,
  checkRobustness,
  checkTamperRefused,
  requestFromFixture,
  resolveConfig,
  trackerAnswer,
} from './checks';
import { loadFixtures } from './fixtures';

/** Settings for {@link runAdapterConformance}. */
export interface ConformanceOptions {
  /** Folder holding the adapter's `*.json` fixtures (usually `path.join(__dirname, 'fixtures')`). */
  fixturesDir: string;
  /** Adapter settings used for every fixture; a fixture's own `config` is merged over it. */
  config?: Record<string, unknown>;
  /** How many random requests the robustness check sends (default 300). */
  robustnessRuns?: number;
  /** Replays a failed robustness run: the `seed` fast-check printed with the counterexample. */
  robustnessSeed?: number;
  /**
   * Which query parameter names carry the network's signature, so the tampering check changes
   * something else. Defaults to names containing sig, signature, hash, hmac, token or checksum.
   */
  signatureParam?: RegExp;
}

const ROBUSTNESS_TIMEOUT_MS = 120_000;

/**
 * Registers the standard jest tests every network adapter must pass. Call it once, at the top
 * level of the adapter's spec file:
 *
 * - every fixture in `fixturesDir` (at least one) gives exactly its expected postbacks or error,
 *   and its expected custom response;
 * - the answer contract: fixtures with postbacks, and fixtures marked `unknownEvent`, are
 *   acknowledged by the tracker (2xx), never refused; an endpoint check is answered 2xx;
 * - the config, and each fixture's config, passes the adapter's own schema;
 * - with a `verify`, a one-character change to each valid fixture is refused as a bad signature;
 * - a few hundred random hostile requests give canonical postbacks or an AdapterError, nothing else;
 * - the pasteable postback URL is absolute https under the tracker URL, at `/postback/<slug>`.
 */
export function runAdapterConformance(adapter: AnyAdapter, options: ConformanceOptions): void {
  describe(`${adapter.id} adapter conformance`, () => {
    // Loaded while jest collects tests: a malformed fixture fails the whole file, loudly.
    const fixtures = loadFixtures(options.fixturesDir);

    it('has at least one fixture', () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });

    it('accepts its config and every fixture config', () => {
      expect(() => resolveConfig(adapter, options.config)).not.toThrow();
      for (const { fixture } of fixtures) expect(() => resolveConfig(adapter, { ...options.config, ...fixture.config })).not.toThrow();
    });

    for (const { file, fixture } of fixtures) {
      it(`${file}: ${fixture.name}`, async () => {
        await checkFixture(adapter, fixture, options.config);
        await checkFixtureAnswer(adapter, fixture, options.config);
        checkFixtureResponse(adapter, fixture);
      });
    }

    if (adapter.verify) {
      for (const { file, fixture } of fixtures.filter((f) => f.fixture.expect !== undefined)) {
        it(`${file}: refuses a tampered copy as a bad signature`, async () => {
          await checkTamperRefused(adapter, fixture, options.config, options.signatureParam);
        });
      }
    }

    it(
      'answers random hostile requests with canonical postbacks or an AdapterError only',
      async () => {
        await checkRobustness(adapter, fixtures, resolveConfig(adapter, options.config), options.robustnessRuns, options.robustnessSeed);
      },
      ROBUSTNESS_TIMEOUT_MS,
    );

    if (adapter.answers?.endpointCheck) {
      it("answers the network's URL check (a bare GET) with a 2xx", async () => {
        const request = requestFromFixture(adapter, { method: 'GET' });
        const answer = await trackerAnswer(adapter, request, resolveConfig(adapter, options.config));
        expect(answer).toMatchObject({ kind: 'acknowledged' });
        expect(answer.status).toBeLessThan(300);
      });
    }

    it('gives an absolute https postback URL at /postback/<slug> under the tracker URL', () => {
      checkPostbackUrlTemplate(adapter);
    });

    it('describes every setting so the console can render the form: title, description, enums and secrets that fit', () => {
      expect(configSchemaProblems(adapter.configSchema)).toEqual([]);
    });
  });
}
