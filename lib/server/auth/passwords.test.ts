import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { roleAtLeast } from './permissions';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse!', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats unreadable or tampered hashes as a mismatch, never an error', async () => {
    const h = await hashPassword('pw');
    expect(await verifyPassword('pw', 'plain')).toBe(false);
    expect(await verifyPassword('pw', h.replace('scrypt$32768', 'scrypt$99999999'))).toBe(false);
    expect(await verifyPassword('pw', `${h.slice(0, -2)}AA`)).toBe(false);
    expect(await verifyPassword('pw', h.split('$').slice(0, 5).join('$'))).toBe(false);
  });

  it('normalizes Unicode, so the same password typed differently matches', async () => {
    expect(await verifyPassword('e\u0301', await hashPassword('\u00e9'))).toBe(true);
  });

  it('generates 24-character passwords', () => {
    expect(generatePassword()).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});

describe('roles', () => {
  it('orders viewer < operator < editor < admin', () => {
    expect(roleAtLeast('admin', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'editor')).toBe(true);
    expect(roleAtLeast('operator', 'editor')).toBe(false);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
  });
});
