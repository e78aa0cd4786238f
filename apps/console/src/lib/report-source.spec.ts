import { formatLag, reportSourceNote } from './report-source';

describe('report source note', () => {
  it('says nothing when the primary answered as configured', () => {
    expect(reportSourceNote(undefined)).toBeNull();
    expect(reportSourceNote({ source: 'primary' })).toBeNull();
  });

  it('shows how far behind the replica that answered is', () => {
    expect(reportSourceNote({ source: 'replica', replicaLagSeconds: 0.42 })).toEqual({ kind: 'replica', text: 'Read from the replica, 0.4 s behind' });
    expect(reportSourceNote({ source: 'replica' })).toEqual({ kind: 'replica', text: 'Read from the replica' });
    expect([formatLag(0), formatLag(37.4), formatLag(400)]).toEqual(['0.0 s', '37 s', '7 min']);
  });

  it('warns when the replica is down and the primary stood in', () => {
    const warning = 'read from the primary: the read replica cannot be reached (connect ECONNREFUSED 127.0.0.1:5433)';
    expect(reportSourceNote({ source: 'primary', warning })).toEqual({ kind: 'warning', text: 'Read replica down: read from the primary', detail: warning });
  });
});
