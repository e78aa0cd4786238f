import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { PostwireProcess } from './support/postwire-process';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor, waitUntil } from './support/wait-until';

interface Source {
  id: string;
  failing: boolean;
  failingReason: string | null;
  health: { consecutiveFailures: number; recentAttempts: number; recentFailures: number };
}
interface AlertHook {
  id: string;
  url: string;
  format: string;
  secret: string;
}
interface Send {
  event: string;
  kind: string;
  subjectId: string;
  status: string;
  statusCode: number | null;
  error: string | null;
  attempt: number;
  retryAt: string | null;
}

/**
 * Source health and alert webhooks over HTTP against the built app: a source answering 500 turns
 * "failing" within a minute, a signed webhook tells a local receiver, and both recover by themselves
 * once the source answers again; the cool-down keeps a flapping source quiet.
 */
describe('source health and alert webhooks', () => {
  let app: PostwireProcess;
  let source: Receiver;
  let hooks: Receiver;
  let setup: Setup;
  let hook: AlertHook;

  beforeAll(async () => {
    source = await Receiver.start();
    hooks = await Receiver.start();
    app = await PostwireProcess.start({
      database: 'postgres',
      env: {
        SECRETS_KEY: randomBytes(32).toString('hex'),
        FORWARD_RETRY_SCHEDULE: '0,200ms,200ms',
        SOURCE_FAILING_AFTER_FAILURES: '3',
        ALERT_CHECK_INTERVAL_MS: '250',
        ALERT_RETRY_SCHEDULE: '500ms',
      },
    });
    setup = await setUpCampaign(app, source.url);
    const created = await app.api<AlertHook>('POST', '/api/alert-webhooks', { name: 'Ops', url: `${hooks.url}/alerts?token=s3cret`, format: 'json' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.url).not.toContain('s3cret');
    hook = created.body;
  });

  afterAll(async () => {
    await app?.dispose();
    await source?.close();
    await hooks?.close();
  });

  async function convert(): Promise<string> {
    const clickId = await click(app, setup.campaignId);
    const res = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=10`);
    expect(res.status).toBe(200);
    return res.body.conversion_id;
  }

  const alertsFor = (event: string) => (r: ReceivedRequest) => r.url.startsWith('/alerts') && JSON.parse(r.body).type === `alert.${event}`;

  function verified(request: ReceivedRequest): { type: string; alert: { kind: string; subjectId: string; message: string } } {
    // Throws unless the body carries a valid Standard Webhooks signature under the webhook's secret.
    return new Webhook(hook.secret).verify(request.body, request.headers as Record<string, string>) as ReturnType<typeof verified>;
  }

  it('turns a source answering 500 failing within a minute and sends a signed alert (again, after the webhook refused it once), then recovers and sends the resolution', async () => {
    source.respondWith(() => ({ status: 500, body: 'down' }));
    // The webhook is down for its first alert: the message is tried again, as it was, on ALERT_RETRY_SCHEDULE.
    let alertRequests = 0;
    hooks.respondWith((req) => (req.url.startsWith('/alerts') && ++alertRequests === 1 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
    const conversionId = await convert();
    const firstFailure = (
      await waitFor(
        async () => source.requests[0],
        Boolean,
        10_000,
        () => 'no delivery reached the source',
      )
    ).at;

    const failing = await waitFor(
      async () => (await app.api<Source>('GET', `/api/traffic-sources/${setup.trafficSourceId}`)).body,
      (s) => s.failing,
      60_000,
      (s) => `source health: ${JSON.stringify(s?.health)}`,
    );
    expect(failing).toMatchObject({ failingReason: 'consecutive_failures', health: { consecutiveFailures: 3, recentFailures: 3 } });
    expect(Date.now() - firstFailure).toBeLessThan(60_000);
    const listed = await app.api<Source[]>('GET', '/api/traffic-sources');
    expect(listed.body.find((s) => s.id === setup.trafficSourceId)).toMatchObject({ failing: true });

    await waitUntil(() => hooks.requests.filter(alertsFor('fired')).length === 2, 60_000, 'the fired alert at the webhook, refused then retried');
    const [refused, fired] = hooks.requests.filter(alertsFor('fired'));
    expect(fired.body).toBe(refused.body);
    // The same Standard Webhooks id on both tries, so a receiver that did take the first can drop the second.
    expect(fired.headers['webhook-id']).toBe(refused.headers['webhook-id']);
    expect(fired.method).toBe('POST');
    expect(fired.headers['content-type']).toBe('application/json');
    expect(verified(fired)).toMatchObject({ type: 'alert.fired', alert: { kind: 'traffic_source_failing', subjectId: setup.trafficSourceId } });
    expect(verified(fired).alert.message).toContain('the last 3 delivery attempts failed');
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(fired.body, fired.headers as Record<string, string>)).toThrow();
    expect(fired.query.get('token')).toBe('s3cret');

    // The dashboard shows it too.
    const alerts = await app.api<{ alerts: Array<{ kind: string; subjectId: string }> }>('GET', '/api/alerts');
    expect(alerts.body.alerts).toContainEqual(expect.objectContaining({ kind: 'traffic_source_failing', subjectId: setup.trafficSourceId }));

    // The source is fixed; the dead delivery is retried and succeeds: the source recovers by itself.
    source.respondWith(() => ({ status: 200, body: 'ok' }));
    const [delivery] = (await app.api<{ items: Array<{ id: string }> }>('GET', `/api/deliveries?conversionId=${conversionId}`)).body.items;
    expect((await app.api('POST', `/api/deliveries/${delivery.id}/retry`)).status).toBe(200);
    await waitFor(
      async () => (await app.api<Source>('GET', `/api/traffic-sources/${setup.trafficSourceId}`)).body,
      (s) => !s.failing,
      30_000,
      (s) => `source health: ${JSON.stringify(s?.health)}`,
    );
    await waitUntil(() => hooks.requests.some(alertsFor('resolved')), 30_000, 'the resolved alert at the webhook');
    expect(verified(hooks.requests.find(alertsFor('resolved'))!)).toMatchObject({
      alert: { kind: 'traffic_source_failing', subjectId: setup.trafficSourceId },
    });

    // A send is logged when the webhook's answer is back, a moment after the receiver saw the request.
    const sends = await waitFor(
      async () => (await app.api<Send[]>('GET', `/api/alert-webhooks/${hook.id}/sends`)).body,
      (list) => list.some((s) => s.event === 'resolved'),
      10_000,
      (list) => `the resolved send in the log: ${JSON.stringify(list)}`,
    );
    expect(sends.map((s) => [s.event, s.kind, s.status, s.statusCode, s.attempt, s.retryAt])).toEqual([
      ['resolved', 'traffic_source_failing', 'sent', 200, 1, null],
      ['fired', 'traffic_source_failing', 'sent', 200, 2, null],
      ['fired', 'traffic_source_failing', 'failed', 503, 1, null],
    ]);
  });

  it('keeps a source failing again within the cool-down quiet', async () => {
    const before = hooks.requests.filter((r) => r.url.startsWith('/alerts')).length;
    source.respondWith(() => ({ status: 503 }));
    await convert();
    await waitFor(
      async () => (await app.api<{ alerts: Array<{ kind: string }> }>('GET', '/api/alerts')).body.alerts,
      (a) => a.some((x) => x.kind === 'traffic_source_failing'),
      30_000,
      () => 'the source failing again',
    );
    // Several checks run meanwhile; none sends the same alert inside ALERT_COOLDOWN_MS.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hooks.requests.filter((r) => r.url.startsWith('/alerts')).length).toBe(before);
  });

  it('sends a Slack-compatible text, has a test button, and keeps the deliveries’ outbound rules', async () => {
    const slack = await app.api<AlertHook>('POST', '/api/alert-webhooks', { name: 'Slack', url: `${hooks.url}/slack`, format: 'slack' });
    const test = await app.api<Send>('POST', `/api/alert-webhooks/${slack.body.id}/test`);
    expect(test.body).toMatchObject({ event: 'test', status: 'sent', statusCode: 200 });
    const received = hooks.requests.find((r) => r.url === '/slack')!;
    expect(Object.keys(JSON.parse(received.body))).toEqual(['text']);
    expect(new Webhook(slack.body.secret).verify(received.body, received.headers as Record<string, string>)).toBeTruthy();

    // A private address outside FORWARD_ALLOW_CIDRS is refused before connecting, and the refusal is recorded.
    const inside = await app.api<AlertHook>('POST', '/api/alert-webhooks', { name: 'LAN', url: 'http://10.0.0.1/hook', format: 'json' });
    const refused = await app.api<Send>('POST', `/api/alert-webhooks/${inside.body.id}/test`);
    expect(refused.body).toMatchObject({ status: 'failed', statusCode: null });
    expect(refused.body.error).toMatch(/not a public address/);

    const bad = await app.api<{ error: { code: string; message: string } }>('POST', '/api/alert-webhooks', { name: 'X', url: 'ftp://x', format: 'teams' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/url|format/);
    expect((await app.api('DELETE', `/api/alert-webhooks/${inside.body.id}`)).status).toBe(204);
    expect((await app.api('POST', `/api/alert-webhooks/${inside.body.id}/test`)).status).toBe(404);
  });
});
