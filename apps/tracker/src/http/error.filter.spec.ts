import type { ArgumentsHost } from '@nestjs/common';
import { PostbackRefused } from '@postwire/persistence';
import { SecretBox } from '@postwire/security';
import { ErrorFilter } from './error.filter';

/** What the filter answers, read off a stand-in reply. */
function answer(exception: unknown): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  const sent: { status: number; body: string; headers: Record<string, string> } = { status: 0, body: '', headers: {} };
  const reply = {
    headers: () => reply,
    header: (name: string, value: string) => ((sent.headers[name] = value), reply),
    status: (code: number) => ((sent.status = code), reply),
    send: (body: string) => ((sent.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  const filter = new ErrorFilter();
  (filter as unknown as { logger: { error: () => void; warn: () => void } }).logger = { error: () => undefined, warn: () => undefined };
  filter.catch(exception, host);
  return { status: sent.status, body: JSON.parse(sent.body) as Record<string, unknown>, headers: sent.headers };
}

describe('ErrorFilter', () => {
  it('answers 503 secrets_unreadable when a secret was sealed with another SECRETS_KEY', () => {
    const sealed = SecretBox.fromEnv('a'.repeat(64)).seal('passphrase');
    let error: unknown;
    try {
      SecretBox.fromEnv('b'.repeat(64)).open(sealed);
    } catch (e) {
      error = e;
    }
    expect(answer(error)).toMatchObject({ status: 503, body: { error: 'secrets_unreadable', message: expect.stringContaining('SECRETS_KEY') } });
  });

  it('keeps a refusal of the input a 400 naming the parameter, and anything unknown a 500', () => {
    expect(answer(new PostbackRefused('txid', 'is required'))).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'txid' } });
    expect(answer(new Error('boom'))).toMatchObject({ status: 500, body: { error: 'internal_error' } });
  });

  it('answers 503 with Retry-After when the database cannot be reached, and only then', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const restarting = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    for (const error of [refused, restarting, new Error('Connection terminated unexpectedly')]) {
      expect(answer(error)).toMatchObject({ status: 503, body: { error: 'database_unavailable' }, headers: { 'retry-after': '5' } });
    }
    // A statement the database refused is not an outage.
    const refusedRow = Object.assign(new Error('value too long for type character varying(64)'), { code: '22001' });
    expect(answer(refusedRow)).toMatchObject({ status: 500, headers: {} });
  });
});
