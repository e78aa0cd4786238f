import { decodeReportCursor, encodeReportCursor, reportQueryDigest } from './report-cursor';

describe('report cursor', () => {
  const digest = reportQueryDigest({ groupBy: ['sub1'], from: new Date(0), filters: { country: ['US'] } });

  it('round-trips a page start for the same query, whatever the key order', () => {
    expect(reportQueryDigest({ filters: { country: ['US'] }, from: new Date(0), groupBy: ['sub1'] })).toBe(digest);
    expect(decodeReportCursor(encodeReportCursor({ offset: 2000 }, digest), digest)).toEqual({ ok: true, cursor: { offset: 2000 } });
  });

  it('refuses a cursor of another query, and text that is no cursor', () => {
    const other = reportQueryDigest({ groupBy: ['sub2'], from: new Date(0), filters: { country: ['US'] } });
    expect(other).not.toBe(digest);
    expect(decodeReportCursor(encodeReportCursor({ offset: 10 }, other), digest)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/another report query/),
    });
    for (const bad of ['', 'abc', Buffer.from('{"o":-1,"q":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url')])
      expect(decodeReportCursor(bad, digest)).toMatchObject({ ok: false });
  });
});
