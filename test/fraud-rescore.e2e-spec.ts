import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';

const ADMIN = { email: 'rescore@agency.test', password: 'correct horse battery staple' };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

type Run = {
  runId: string;
  state: string;
  dryRun: boolean;
  deliveriesQueued: number;
  summary: {
    clicks: { scanned: number; changed: number };
    conversions: Record<string, number>;
    payout: { currency: string; newlyRejected: string; declinedWithStatusUpdate: string };
    sample: Array<{ conversionId: string; action: string; before: { verdict: string }; after: { verdict: string; reasons: string[] } }>;
  };
};

/**
 * Re-scoring end to end, on the built app: bad ranges refused naming the field, a dry run that changes
 * nothing, then the console's Re-score page in real Chromium: preview, apply with status updates, and
 * the forwarded conversion now rejected is declined and its source told once. Plugin weights are
 * checked against the installed scorers.
 */
describe('fraud: re-scoring past traffic', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let setup: Setup;
  const day = 86_400_000;
  const range = () => ({ from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url);
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1280, height: 900 } })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  async function botConversion(txid: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-${txid}`, { redirect: 'manual', headers: { 'user-agent': GOOGLEBOT } });
    expect(res.status).toBe(302);
    const clickId = new URL(res.headers.get('location')!).searchParams.get('cid')!;
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&txid=${txid}&payout=3`);
    expect(postback.body.status).toBe('accepted');
    return postback.body.conversion_id;
  }

  it('refuses bad ranges and scopes with a 400 naming the field, an unknown campaign or run with a 404', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(ms).toISOString();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ from: at(now), to: at(now - day) }, 'to'],
      [{ from: at(now - 100 * day), to: at(now) }, 'to'],
      [{ from: 'yesterday', to: at(now) }, 'from'],
      [{ ...range(), campaignId: setup.campaignId, offerId: setup.offerId }, 'offerId'],
      [{ ...range(), dryRun: true, sendStatusUpdates: true }, 'sendStatusUpdates'],
      [{ ...range(), campaignId: 'nope' }, 'campaignId'],
      [{ ...range(), window: 3 }, ''],
    ];
    for (const [body, param] of cases) {
      const res = await app.api<{ error: string; param?: string }>('POST', '/api/fraud/rescore', body);
      expect({ body, status: res.status, error: res.body.error }).toEqual({ body, status: 400, error: 'bad_parameter' });
      if (param) expect({ body, param: res.body.param }).toEqual({ body, param });
    }
    const unknown = await app.api('POST', '/api/fraud/rescore', { ...range(), campaignId: '00000000-0000-0000-0000-000000000000' });
    expect(unknown.status).toBe(404);
    expect((await app.api('GET', '/api/fraud/rescore/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it("weights a policy by an installed scorer plugin's code, and refuses a code no installed scorer declares", async () => {
    const path = `/api/fraud/campaigns/${setup.campaignId}/policy`;
    const set = await app.api<{ effective: { weights: Record<string, number> } }>('PUT', path, { weights: { 'ip-reputation-file:listed': 90 } });
    expect(set.status).toBe(200);
    expect(set.body.effective.weights).toMatchObject({ 'ip-reputation-file:listed': 90, bot_user_agent: 80 });
    const defaults = await app.api<{ effective: { weights: Record<string, number> } }>('PUT', path, {});
    expect(defaults.body.effective.weights).toMatchObject({ 'ip-reputation-file:listed': 60 });
    const unknown = await app.api<{ param: string }>('PUT', path, { weights: { 'no-such-scorer:hit': 10 } });
    expect(unknown).toMatchObject({ status: 400, body: { param: 'weights.no-such-scorer:hit' } });
    const malformed = await app.api<{ param: string }>('PUT', path, { weights: { 'Bad Code': 10 } });
    expect(malformed.status).toBe(400);
    expect((await app.api('PUT', path, {})).status).toBe(200);
  });

  it('a dry run tells what a stricter policy would change, and changes nothing', async () => {
    const conversionId = await botConversion('rescore-1');
    expect(await forwardingSettled(app, { conversionId })).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(receiver.requests).toHaveLength(1);
    expect((await app.api('PUT', `/api/fraud/campaigns/${setup.campaignId}/policy`, { action: 'reject', actionScore: 60 })).status).toBe(200);
    const dry = await app.api<Run>('POST', '/api/fraud/rescore', { ...range(), campaignId: setup.campaignId });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ state: 'done', dryRun: true });
    expect(dry.body.summary.conversions).toMatchObject({ scanned: 1, changed: 1, keptForwarded: 1, newlyRejected: 0 });
    expect(dry.body.summary.clicks.scanned).toBe(1);
    expect(dry.body.summary.sample).toEqual([
      expect.objectContaining({
        conversionId,
        action: 'kept_forwarded',
        before: { score: 100, verdict: 'flag', reasons: ['bot_user_agent', 'ctit_too_short'] },
      }),
    ]);
    const again = await app.api<Run>('GET', `/api/fraud/rescore/${dry.body.runId}`);
    expect(again.body).toEqual(dry.body);
    const trace = await app.api<{ fraud: { verdict: string } }>('GET', `/api/conversions/${conversionId}/trace`);
    expect(trace.body.fraud.verdict).toBe('flag');
    expect((await app.api<{ status: string }>('GET', `/api/conversions/${conversionId}`)).body.status).not.toBe('declined');
  });

  it('in the console: preview, then apply with status updates; the forwarded conversion is declined and its source told once', async () => {
    await signInInBrowser(page, app.url, ADMIN);
    await page.getByRole('link', { name: 'Re-score' }).click();
    await page.getByRole('heading', { name: 'Re-score', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: 'Preview of the re-score' });
    await preview.getByTestId('rescore-state').filter({ hasText: 'done' }).waitFor();
    expect(await preview.getByTestId('rescore-sample-row').count()).toBe(1);
    await preview.getByRole('cell', { name: 'already forwarded: score only' }).waitFor();
    await accessible('the preview');

    await page.getByRole('button', { name: 'Apply…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply the re-score?' });
    await dialog.getByLabel(/Send status updates/).check();
    await accessible('the confirmation');
    await dialog.getByRole('button', { name: 'Apply re-score' }).click();
    const result = page.getByRole('region', { name: 'Result of the re-score' });
    await result.getByTestId('rescore-state').filter({ hasText: 'done' }).waitFor();
    await result.getByText('1 deliveries queued').waitFor();

    const [conversionId] = (await app.api<{ items: Array<{ id: string }> }>('GET', `/api/conversions?campaignId=${setup.campaignId}`)).body.items.map(
      (c) => c.id,
    );
    expect((await app.api<{ status: string }>('GET', `/api/conversions/${conversionId}`)).body.status).toBe('declined');
    await waitUntil(async () => receiver.requests.length === 2, 15_000, 'the status update');
    expect(receiver.requests[1].query.get('status')).toBe('declined');
    expect(receiver.requests[1].query.get('txid')).toBe('rescore-1');
    const audit = await app.api<{ items: Array<{ action: string }> }>('GET', `/api/audit-log?entityId=${conversionId}`);
    expect(audit.body.items.map((i) => i.action)).toContain('fraud_rescore_reject');
    // Applying again tells no one anything more: the conversion is decided.
    const again = await app.api<Run>('POST', '/api/fraud/rescore', { ...range(), dryRun: false, sendStatusUpdates: true });
    expect(again.body.summary.conversions).toMatchObject({ keptDecided: 1, declinedWithStatusUpdate: 0 });
    expect(await forwardingSettled(app, { conversionId })).toHaveLength(2);
    expect(receiver.requests).toHaveLength(2);
  });

  /** axe-core on the page as it is: no serious or critical violation. */
  async function accessible(what: string) {
    await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: string[] }>>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }
});
