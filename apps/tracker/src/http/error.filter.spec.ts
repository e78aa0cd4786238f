import type { ArgumentsHost } from '@nestjs/common';
import { PostbackRefused } from '@postwire/persistence';
import { SecretBox } from '@postwire/security';
import { ErrorFilter } from './error.filter';

/** What the filter answers, read off a stand-in reply. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: string } = { status: 0, body: '' };
  const reply = {
    headers: () => reply,
    header: () => reply,
    status: (code: number) => ((sent.status = code), reply),
    send: (body: string) => ((sent.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  const filter = new ErrorFilter();
  (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return { status: sent.status, body: JSON.parse(sent.body) as Record<string, unknown> };
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
    expect(answer(error)).toEqual({ status: 503, body: { error: 'secrets_unreadable', message: expect.stringContaining('SECRETS_KEY') } });
  });

  it('keeps a refusal of the input a 400 naming the parameter, and anything unknown a 500', () => {
    expect(answer(new PostbackRefused('txid', 'is required'))).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'txid' } });
    expect(answer(new Error('boom'))).toMatchObject({ status: 500, body: { error: 'internal_error' } });
  });
});
