// Users (site admins only): list, create with a password, disable/enable, reset the password,
// set the email (OIDC matching) and the site-admin flag. Each change is checked and written in one
// transaction with its audit entry; a refused change writes nothing.
import type { CreateUserBody, UpdateUserBody, UserInfo } from '../../contracts/admin';
import { recordAudit } from '../audit/record';
import { hashPassword } from '../auth/passwords';
import { isRole, requireSiteAdmin } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { Database, Tx } from '../db/client';
import { writeTx } from '../db/write';
import { conflict, notFound, unprocessable } from '../errors';

const USER_COLUMNS = {
  id: true,
  username: true,
  email: true,
  isSiteAdmin: true,
  disabled: true,
  createdAt: true,
  memberships: { select: { role: true, group: { select: { name: true } } }, orderBy: { group: { name: 'asc' } } },
} as const;

type UserRow = {
  id: number;
  username: string;
  email: string | null;
  isSiteAdmin: boolean;
  disabled: boolean;
  createdAt: Date;
  memberships: { role: string; group: { name: string } }[];
};

function userInfo(u: UserRow): UserInfo {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    isSiteAdmin: u.isSiteAdmin,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    groups: u.memberships.flatMap((m) => (isRole(m.role) ? [{ name: m.group.name, role: m.role }] : [])),
  };
}

export const userNotFound = (username: string) => notFound(`user '${username}' not found`, undefined, 'user_not_found');

export async function listUsers(db: Database, principal: Principal): Promise<UserInfo[]> {
  requireSiteAdmin(principal, 'list users');
  const rows = await db.prisma.user.findMany({ select: USER_COLUMNS, orderBy: { username: 'asc' } });
  return rows.map(userInfo);
}

export async function getUser(db: Database, principal: Principal, username: string): Promise<UserInfo> {
  requireSiteAdmin(principal, 'see users');
  const row = await db.prisma.user.findUnique({ where: { username }, select: USER_COLUMNS });
  if (!row) throw userNotFound(username);
  return userInfo(row);
}

async function emailTaken(tx: Tx, email: string, exceptId?: number): Promise<boolean> {
  const row = await tx.user.findUnique({ where: { email }, select: { id: true } });
  return !!row && row.id !== exceptId;
}

export async function createUser(db: Database, principal: Principal, input: CreateUserBody, now: number): Promise<UserInfo> {
  requireSiteAdmin(principal, 'create users');
  input = { ...input, ...(input.email !== undefined && { email: input.email.toLowerCase() }) };
  // The slow hash outside the write transaction: it must not hold SQLite's write lock.
  const passwordHash = await hashPassword(input.password);
  const id = await writeTx(db, async (tx) => {
    if (await tx.user.findUnique({ where: { username: input.username }, select: { id: true } })) {
      throw conflict(`user '${input.username}' already exists`, undefined, 'user_exists');
    }
    if (input.email !== undefined && (await emailTaken(tx, input.email))) throw conflict(`another user has the email ${input.email}`, undefined, 'email_taken');
    const memberships: { groupId: number; role: string; group: string }[] = [];
    for (const [group, role] of Object.entries(input.groups ?? {})) {
      const g = await tx.group.findUnique({ where: { name: group }, select: { id: true } });
      if (!g) throw unprocessable(`group '${group}' does not exist; create it first`, [{ path: `groups.${group}`, message: 'no such group' }], 'unknown_group');
      memberships.push({ groupId: g.id, role, group });
    }
    const user = await tx.user.create({
      data: {
        username: input.username,
        passwordHash,
        email: input.email ?? null,
        isSiteAdmin: input.isSiteAdmin ?? false,
        createdAt: new Date(now),
        memberships: { create: memberships.map((m) => ({ groupId: m.groupId, role: m.role })) },
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: principal,
      action: 'user.created',
      target: `user:${input.username}`,
      details: { isSiteAdmin: input.isSiteAdmin ?? false, ...(input.email && { email: input.email }), groups: Object.fromEntries(memberships.map((m) => [m.group, m.role])) },
      at: now,
    });
    for (const m of memberships) {
      await recordAudit(tx, {
        actor: principal,
        action: 'membership.added',
        target: `user:${input.username}`,
        group: { id: m.groupId, name: m.group },
        details: { username: input.username, role: m.role },
        at: now,
      });
    }
    return user.id;
  });
  return getUserById(db, id);
}

async function getUserById(db: Database, id: number): Promise<UserInfo> {
  return userInfo(await db.prisma.user.findUniqueOrThrow({ where: { id }, select: USER_COLUMNS }));
}

export interface UpdateResult {
  user: UserInfo;
  /** True when the change must end the user's open sockets (disabled, password reset, site admin flag). */
  accessChanged: boolean;
}

export async function updateUser(db: Database, principal: Principal, username: string, input: UpdateUserBody, now: number): Promise<UpdateResult> {
  requireSiteAdmin(principal, 'change users');
  // Emails are kept in lower case: OIDC matching by email compares them so.
  if (typeof input.email === 'string') input = { ...input, email: input.email.toLowerCase() };
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  const result = await writeTx(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { username }, select: { id: true, disabled: true, isSiteAdmin: true, email: true } });
    if (!user) throw userNotFound(username);
    const self = user.id === principal.userId;
    if (self && input.disabled === true) throw conflict('you cannot disable yourself; another site admin can', undefined, 'self_lockout');
    if (self && input.isSiteAdmin === false) throw conflict('you cannot take away your own site admin role; another site admin can', undefined, 'self_lockout');
    if (input.email != null && input.email !== user.email && (await emailTaken(tx, input.email, user.id))) {
      throw conflict(`another user has the email ${input.email}`, undefined, 'email_taken');
    }

    const data: Record<string, unknown> = {};
    const audits: { action: 'user.disabled' | 'user.enabled' | 'user.password-reset' | 'user.updated'; details?: Record<string, unknown> }[] = [];
    if (input.disabled !== undefined && input.disabled !== user.disabled) {
      data.disabled = input.disabled;
      audits.push({ action: input.disabled ? 'user.disabled' : 'user.enabled' });
    }
    if (passwordHash !== undefined) {
      data.passwordHash = passwordHash;
      // Browser sessions signed in with the old password end (API tokens stay: revoke those apart).
      data.sessionsValidFrom = new Date(now);
      audits.push({ action: 'user.password-reset' });
    }
    const changed: Record<string, unknown> = {};
    if (input.email !== undefined && input.email !== user.email) {
      data.email = input.email;
      changed.email = input.email;
    }
    if (input.isSiteAdmin !== undefined && input.isSiteAdmin !== user.isSiteAdmin) {
      data.isSiteAdmin = input.isSiteAdmin;
      changed.isSiteAdmin = input.isSiteAdmin;
    }
    if (Object.keys(changed).length > 0) audits.push({ action: 'user.updated', details: changed });
    if (Object.keys(data).length === 0) return { id: user.id, accessChanged: false };
    await tx.user.update({ where: { id: user.id }, data });
    for (const a of audits) await recordAudit(tx, { actor: principal, action: a.action, target: `user:${username}`, details: a.details, at: now });
    return { id: user.id, accessChanged: 'disabled' in data || 'passwordHash' in data || 'isSiteAdmin' in data };
  });
  return { user: await getUserById(db, result.id), accessChanged: result.accessChanged };
}
