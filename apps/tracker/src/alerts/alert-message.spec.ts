import { alertBody } from './alert-message';

const message = {
  event: 'fired' as const,
  kind: 'traffic_source_failing',
  subjectId: 's1',
  subjectName: 'Push',
  message: 'the last 5 delivery attempts failed',
  at: new Date('2026-03-10T12:00:00Z'),
};

describe('alert webhook bodies', () => {
  it('sends Postwire’s own JSON object', () => {
    expect(JSON.parse(alertBody('json', message))).toEqual({
      type: 'alert.fired',
      alert: { kind: 'traffic_source_failing', subjectId: 's1', subjectName: 'Push', message: 'the last 5 delivery attempts failed' },
      at: '2026-03-10T12:00:00.000Z',
    });
    expect(JSON.parse(alertBody('json', { ...message, event: 'resolved' })).type).toBe('alert.resolved');
  });

  it('sends Slack’s {"text"} with what happened first', () => {
    const body = JSON.parse(alertBody('slack', message));
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toBe(':rotating_light: Alert (traffic_source_failing) Push: the last 5 delivery attempts failed');
    expect(JSON.parse(alertBody('slack', { ...message, event: 'resolved' })).text).toMatch(/^:white_check_mark: Resolved/);
  });
});
