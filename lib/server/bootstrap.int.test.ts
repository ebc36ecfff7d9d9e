import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword, hashSecret } from './auth';
import { ensureAdmin, ensureLocalExecutorToken, ensureSecret } from './bootstrap';
import { openDatabase, type Database } from './db/client';
import { freshDatabaseUrl } from './testing/postgres';

let db: Database;
beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl('sqlite'));
});
afterAll(async () => {
  await db.close();
});

describe('bootstrap', () => {
  it('creates the site admin once, admin of group default, with a generated password to print', async () => {
    const first = await ensureAdmin(db, {});
    expect(first.created).toBe(true);
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' }, include: { memberships: { include: { group: true } } } });
    expect(user.isSiteAdmin).toBe(true);
    expect(user.memberships.map((m) => [m.group.name, m.role])).toEqual([['default', 'admin']]);
    await expect(checkPassword(db, 'admin', first.password!)).resolves.toMatchObject({ username: 'admin' });

    // Later starts leave it alone, even with COURSE_ADMIN_PASSWORD set.
    expect(await ensureAdmin(db, { password: 'other' })).toEqual({ created: false });
    await expect(checkPassword(db, 'admin', 'other')).rejects.toThrow(/wrong username or password/);
    expect(await db.prisma.group.count()).toBe(1);
  });

  it('uses the given password without returning it', async () => {
    const other = await openDatabase(await freshDatabaseUrl('sqlite'));
    try {
      const [a, b] = await Promise.all([ensureAdmin(other, { password: 's3cret' }), ensureAdmin(other, { password: 's3cret' })]);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.password ?? b.password).toBeUndefined();
      expect(await other.prisma.user.count()).toBe(1);
      await expect(checkPassword(other, 'admin', 's3cret')).resolves.toBeTruthy();
    } finally {
      await other.close();
    }
  });

  it('keeps one generated secret, unless COURSE_SECRET is set', async () => {
    expect(await ensureSecret(db, { COURSE_SECRET: 'from-env' })).toBe('from-env');
    expect(await db.prisma.setting.count()).toBe(0);
    const s = await ensureSecret(db, {});
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await ensureSecret(db, {})).toBe(s);
  });

  it('gives the local executor a new token on every start, on one row named local', async () => {
    const t1 = await ensureLocalExecutorToken(db);
    const t2 = await ensureLocalExecutorToken(db);
    expect(t1).not.toBe(t2);
    const rows = await db.prisma.executor.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'local', tokenHash: hashSecret(t2), capacity: 2 });
  });
});
