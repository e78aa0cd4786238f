import { readReportUrl } from './report-url';

const read = (query: string) => readReportUrl(new URLSearchParams(query), { tz: 'UTC' }, () => '2026-03-31');

describe('the report URL', () => {
  it('reads a shared view: zone, preset, grouping, filters, sort, columns, comparison', () => {
    const r = read('tz=Asia%2FKolkata&range=last-month&groupBy=campaign,day&country=US,DE&sort=-payout&cols=clicks,payout&compare=previous');
    expect(r).toEqual({
      ok: true,
      state: {
        tz: 'Asia/Kolkata',
        preset: 'last-month',
        from: '2026-02-01',
        to: '2026-03-01',
        groupBy: ['campaign', 'day'],
        filters: { country: ['US', 'DE'] },
        sort: '-payout',
        columns: ['clicks', 'payout'],
        compare: true,
      },
    });
  });

  it('defaults to the last 7 days by campaign in the user’s zone', () => {
    const r = read('');
    expect(r.ok && r.state).toMatchObject({ tz: 'UTC', preset: '7d', from: '2026-03-25', to: '2026-04-01', groupBy: ['campaign'], compare: false });
  });

  it('names each bad parameter instead of throwing', () => {
    expect(read('tz=Mars%2FOlympus')).toEqual({ ok: false, problems: [{ param: 'tz', message: '"Mars/Olympus" is not a time zone' }] });
    expect(read('range=custom&from=2026-02-30&to=2026-03-01')).toMatchObject({ ok: false, problems: [{ param: 'from' }] });
    expect(read('range=custom&from=2026-03-05&to=2026-03-01')).toMatchObject({ ok: false, problems: [{ param: 'to' }] });
    expect(read('cols=clicks,bogus')).toMatchObject({ ok: false, problems: [{ param: 'cols' }] });
    expect(read('groupBy=planet')).toMatchObject({ ok: false, problems: [{ param: 'groupBy' }] });
    expect(read('groupBy=offer&sort=offerName').ok).toBe(true);
    expect(read('sort=-nothing')).toMatchObject({ ok: false, problems: [{ param: 'sort' }] });
    expect(read('range=fortnight')).toMatchObject({ ok: false, problems: [{ param: 'range' }] });
  });
});
