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
});
