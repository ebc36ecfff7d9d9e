// What `npm start` makes sure of before serving (CONTRACT.md, "Starting"): the site admin
// `admin` (admin of the group `default`) on first start, the site secret, and a token for the
// local executor. Each is idempotent and safe when web and worker start at once.

import { randomBytes } from 'node:crypto';
import { generatePassword, hashPassword } from './auth';
import type { Database } from './db/client';
import { writeTx } from './db/write';

export { ensureLocalExecutorToken } from './executors/tokens';

export const ADMIN_USERNAME = 'admin';
export const DEFAULT_GROUP = 'default';
export const SECRET_SETTING = 'secret';

export interface EnsureAdminResult {
  created: boolean;
  /** Set only when the password was generated here: print it once, it is stored nowhere in clear. */
  password?: string;
}

/**
 * Creates the site admin `admin` with `password` (or a generated one) when no user of that name
 * exists, as admin of the group `default`; the group itself is always made sure of (definitions
 * without `group:` land there). An existing admin is left as it is: its password is never reset.
 */
export async function ensureAdmin(db: Database, opts: { password?: string } = {}): Promise<EnsureAdminResult> {
  await ensureGroup(db, DEFAULT_GROUP);
  if (await db.prisma.user.findUnique({ where: { username: ADMIN_USERNAME }, select: { id: true } })) return { created: false };
  const generated = opts.password === undefined || opts.password === '';
  const password = generated ? generatePassword() : opts.password!;
  const passwordHash = await hashPassword(password);
  const created = await writeTx(db, async (tx) => {
    // Checked again under the write lock: another process may have made it meanwhile.
    if (await tx.user.findUnique({ where: { username: ADMIN_USERNAME }, select: { id: true } })) return false;
    const group = await tx.group.findUniqueOrThrow({ where: { name: DEFAULT_GROUP }, select: { id: true } });
    await tx.user.create({
      data: { username: ADMIN_USERNAME, passwordHash, isSiteAdmin: true, memberships: { create: { groupId: group.id, role: 'admin' } } },
    });
    return true;
  });
  if (!created) return { created: false };
  return generated ? { created: true, password } : { created: true };
}

export async function ensureGroup(db: Database, name: string): Promise<number> {
  const found = await db.prisma.group.findUnique({ where: { name }, select: { id: true } });
  if (found) return found.id;
  return writeTx(db, async (tx) => {
    const again = await tx.group.findUnique({ where: { name }, select: { id: true } });
    return again ? again.id : (await tx.group.create({ data: { name }, select: { id: true } })).id;
  });
}

/** COURSE_SECRET from the environment; otherwise the one generated on first start and kept in Setting `secret`. */
export async function ensureSecret(db: Database, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (env.COURSE_SECRET) return env.COURSE_SECRET;
  const found = await db.prisma.setting.findUnique({ where: { key: SECRET_SETTING } });
  if (found) return found.value;
  const secret = randomBytes(32).toString('base64url');
  return writeTx(db, async (tx) => {
    const again = await tx.setting.findUnique({ where: { key: SECRET_SETTING } });
    if (again) return again.value;
    await tx.setting.create({ data: { key: SECRET_SETTING, value: secret } });
    return secret;
  });
}
