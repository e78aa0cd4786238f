import { hashPassword, newPassword, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
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
