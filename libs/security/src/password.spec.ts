import { hashPassword, newPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('runs one scrypt at a time, however many hashes and checks are asked for at once', async () => {
    // The module object password.ts calls through (an `import * as` would be a copy a spy does not reach).
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const real = crypto.scrypt;
    let running = 0;
    let most = 0;
    const spy = jest.spyOn(crypto, 'scrypt').mockImplementation(((...args: Parameters<typeof real>) => {
      running++;
      most = Math.max(most, running);
      const done = args[args.length - 1] as (err: Error | null, key: Buffer) => void;
      (real as (...a: unknown[]) => void)(...args.slice(0, -1), (err: Error | null, key: Buffer) => {
        running--;
        done(err, key);
      });
    }) as typeof real);
    try {
      const hash = await hashPassword('one at a time');
      const checks = await Promise.all([...Array.from({ length: 5 }, () => verifyPassword('one at a time', hash)), hashPassword('another one!')]);
      expect(checks.slice(0, 5)).toEqual([true, true, true, true, true]);
      expect(spy).toHaveBeenCalledTimes(7);
      expect(most).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
  });

  it('never matches a malformed or over-expensive stored hash', async () => {
    const hash = await hashPassword('x'.repeat(12));
    for (const bad of ['', 'scrypt$1$2', hash.replace('scrypt', 'bcrypt'), hash.replace('$32768$', '$4194304$'), hash.replace(/\$[\w-]+$/, '$AA')]) {
      expect(await verifyPassword('x'.repeat(12), bad)).toBe(false);
    }
  });

  it('makes generated passwords of 24 characters', () => {
    expect(newPassword()).toMatch(/^[\w-]{24}$/);
  });
});
