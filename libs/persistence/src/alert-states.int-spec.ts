import { AlertWebhookRepository } from './repositories/alert-webhook.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const failing = { kind: 'traffic_source_failing', subjectId: 's1', subjectName: 'Push', message: 'the last 5 delivery attempts failed' };
const silent = { kind: 'network_silent', subjectId: 'n1', subjectName: 'Acme', message: 'nothing for 4 h' };

/** Alert states and webhook sends (migration 019) on both drivers: start and end are each returned once, inside the cool-down nothing is to be sent. */
describe.each(BOTH_DRIVERS)('alert states on %s', (driver) => {
  let db: TestDatabase;
  let repo: AlertWebhookRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    repo = new AlertWebhookRepository(db.client);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('returns an alert when it starts and when it resolves, once each, and keeps a flapping one quiet within the cool-down', async () => {
    const hour = 3_600_000;
    expect(await repo.reconcile([failing, silent], hour)).toEqual([
      { ...failing, event: 'fired', send: true },
      { ...silent, event: 'fired', send: true },
    ]);
    // Still open: nothing changed, nothing to send (a second tracker checking at the same time sees the same).
    expect(await repo.reconcile([failing, silent], hour)).toEqual([]);
    expect(await repo.reconcile([silent], hour)).toEqual([{ ...failing, event: 'resolved', send: true }]);
    // Fails again within the hour: opened, but not sent; and its end is not sent either.
    expect(await repo.reconcile([silent, failing], hour)).toEqual([{ ...failing, event: 'fired', send: false }]);
    expect(await repo.reconcile([silent], hour)).toEqual([{ ...failing, event: 'resolved', send: false }]);
    // With the cool-down over (0 ms), it is sent again.
    expect(await repo.reconcile([silent, failing], 0)).toEqual([{ ...failing, event: 'fired', send: true }]);
    expect(await repo.reconcile([], 0)).toEqual(
      expect.arrayContaining([
        { ...failing, event: 'resolved', send: true },
        { ...silent, event: 'resolved', send: true },
      ]),
    );
  });

  it('keeps the newest sends of a webhook and goes with it', async () => {
    const hook = await repo.create({ name: 'Ops', url: 'https://hooks.example/x', format: 'slack', secretSealed: 'v1:x' });
    expect(await repo.enabledWithSecrets()).toEqual([expect.objectContaining({ id: hook.id, format: 'slack', secretSealed: 'v1:x' })]);
    for (let i = 0; i < 3; i++)
      await repo.recordSend({
        webhookId: hook.id,
        event: 'test',
        kind: 'test',
        subjectId: hook.id,
        status: i === 2 ? 'failed' : 'sent',
        statusCode: i === 2 ? 500 : 200,
        error: i === 2 ? 'HTTP 500' : null,
        messageId: `msg_test_${i}`,
        subjectName: 'Ops',
        message: 'a test',
        at: new Date(),
        attempt: 1,
        retryAt: null,
      });
    const sends = await repo.sends(hook.id);
    expect(sends.map((s) => [s.status, s.statusCode])).toEqual([
      ['failed', 500],
      ['sent', 200],
      ['sent', 200],
    ]);
    expect(await repo.update(hook.id, { enabled: false })).toMatchObject({ enabled: false });
    expect(await repo.enabledWithSecrets()).toEqual([]);
    expect(await repo.delete(hook.id)).toBe(true);
    expect(await repo.sends(hook.id)).toEqual([]);
    expect(await repo.get('not-an-id')).toBeUndefined();
  });

  it('gives each due retry to one taker, repeats the message as it was, and drops one a newer message superseded', async () => {
    const hook = await repo.create({ name: 'Pager', url: 'https://hooks.example/p', format: 'json', secretSealed: 'v1:p' });
    const at = new Date('2026-12-07T10:00:00Z');
    const failed = (event: 'fired' | 'resolved', subjectId: string, retryAt: Date | null) =>
      repo.recordSend({
        webhookId: hook.id,
        event,
        kind: failing.kind,
        subjectId,
        status: 'failed',
        statusCode: 503,
        error: 'HTTP 503',
        messageId: `msg_${event}_${subjectId}`,
        subjectName: `source ${subjectId}`,
        message: 'the last 5 delivery attempts failed',
        at,
        attempt: 1,
        retryAt,
      });
    const soon = new Date(Date.now() - 1000);
    await failed('fired', 'a', soon);
    await failed('fired', 'b', soon);
    // A later message about b (its resolution) went out since: b's failed start is not worth repeating.
    await failed('resolved', 'b', null);
    await failed('fired', 'c', new Date(Date.now() + 3_600_000));

    const [first, second] = await Promise.all([repo.takeDueRetries(new Date()), repo.takeDueRetries(new Date())]);
    const taken = [...first, ...second].sort((x, y) => x.subjectId.localeCompare(y.subjectId));
    expect(taken).toEqual([
      {
        webhookId: hook.id,
        messageId: 'msg_fired_a',
        event: 'fired',
        kind: failing.kind,
        subjectId: 'a',
        subjectName: 'source a',
        message: 'the last 5 delivery attempts failed',
        at,
        attempt: 1,
        superseded: false,
      },
      expect.objectContaining({ subjectId: 'b', superseded: true }),
    ]);
    // Taken once: nothing is due any more, and c's retry is not due yet.
    expect(await repo.takeDueRetries(new Date())).toEqual([]);
    expect((await repo.sends(hook.id)).filter((s) => s.retryAt !== null).map((s) => s.subjectId)).toEqual(['c']);
    await repo.delete(hook.id);
  });
});
