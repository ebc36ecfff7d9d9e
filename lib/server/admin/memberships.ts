// A group's memberships, managed by its admins (and site admins) through the one permission
// check: list, add a user with a role, change a role, remove. A non-member asking about a group
// gets 404 (as for its workflows); a member below admin gets 403 naming the role.
// A group admin may not leave their group without an admin (a site admin may).
import type { MemberInfo } from '../../contracts/admin';
import type { Role } from '../../contracts/api';
import { recordAudit } from '../audit/record';
import { isRole, requireRole } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { Database, Tx } from '../db/client';
import { readTx, writeTx } from '../db/write';
import { conflict, notFound } from '../errors';
import { groupNotFound } from './groups';
import { userNotFound } from './users';

async function adminOfGroup(tx: Tx, principal: Principal, group: string, toDo: string): Promise<{ id: number; name: string }> {
  await requireRole(tx, principal, group, 'admin', { notMember: () => groupNotFound(group), toDo });
  const g = await tx.group.findUnique({ where: { name: group }, select: { id: true, name: true } });
  if (!g) throw groupNotFound(group);
  return g;
}

export async function listMembers(db: Database, principal: Principal, group: string): Promise<MemberInfo[]> {
  return readTx(db, async (tx) => {
    const g = await adminOfGroup(tx, principal, group, 'see its members');
    const rows = await tx.membership.findMany({
      where: { groupId: g.id },
      select: { role: true, user: { select: { username: true, disabled: true } } },
      orderBy: { user: { username: 'asc' } },
    });
    return rows.flatMap((m) => (isRole(m.role) ? [{ username: m.user.username, role: m.role, disabled: m.user.disabled }] : []));
  });
}

/** Refuses a change that leaves the group without an admin, unless a site admin makes it. */
async function keepAnAdmin(tx: Tx, principal: Principal, groupId: number, group: string, username: string): Promise<void> {
  if (principal.isSiteAdmin) return;
  const admins = await tx.membership.count({ where: { groupId, role: 'admin' } });
  if (admins <= 1) {
    throw conflict(`'${username}' is the last admin of group '${group}'; make another member admin first`, undefined, 'last_admin');
  }
}

export interface MembershipChange {
  member: MemberInfo;
  /** The user whose access changed (their open sockets are re-checked). */
  userId: number;
}

export async function addMember(db: Database, principal: Principal, group: string, input: { username: string; role: Role }, now: number): Promise<MembershipChange> {
  return writeTx(db, async (tx) => {
    const g = await adminOfGroup(tx, principal, group, 'add members');
    const user = await tx.user.findUnique({ where: { username: input.username }, select: { id: true, username: true, disabled: true } });
    if (!user) throw userNotFound(input.username);
    const existing = await tx.membership.findUnique({ where: { userId_groupId: { userId: user.id, groupId: g.id } }, select: { role: true } });
    if (existing) {
      throw conflict(`'${user.username}' is already a member of group '${group}' (${existing.role}); change the role with PATCH instead`, { role: existing.role }, 'already_member');
    }
    await tx.membership.create({ data: { userId: user.id, groupId: g.id, role: input.role } });
    await recordAudit(tx, { actor: principal, action: 'membership.added', target: `user:${user.username}`, group: g, details: { username: user.username, role: input.role }, at: now });
    return { member: { username: user.username, role: input.role, disabled: user.disabled }, userId: user.id };
  });
}

async function findMembership(tx: Tx, groupId: number, group: string, username: string) {
  const user = await tx.user.findUnique({ where: { username }, select: { id: true, username: true, disabled: true } });
  const m = user ? await tx.membership.findUnique({ where: { userId_groupId: { userId: user.id, groupId } }, select: { id: true, role: true } }) : null;
  if (!user || !m) throw notFound(`'${username}' is not a member of group '${group}'`, undefined, 'member_not_found');
  return { user, membership: m };
}

export async function changeMemberRole(db: Database, principal: Principal, group: string, username: string, role: Role, now: number): Promise<MembershipChange> {
  return writeTx(db, async (tx) => {
    const g = await adminOfGroup(tx, principal, group, 'change roles');
    const { user, membership } = await findMembership(tx, g.id, group, username);
    if (membership.role !== role) {
      if (membership.role === 'admin') await keepAnAdmin(tx, principal, g.id, group, user.username);
      await tx.membership.update({ where: { id: membership.id }, data: { role } });
      await recordAudit(tx, { actor: principal, action: 'membership.changed', target: `user:${user.username}`, group: g, details: { username: user.username, from: membership.role, to: role }, at: now });
    }
    return { member: { username: user.username, role, disabled: user.disabled }, userId: user.id };
  });
}

export async function removeMember(db: Database, principal: Principal, group: string, username: string, now: number): Promise<{ userId: number }> {
  return writeTx(db, async (tx) => {
    const g = await adminOfGroup(tx, principal, group, 'remove members');
    const { user, membership } = await findMembership(tx, g.id, group, username);
    if (membership.role === 'admin') await keepAnAdmin(tx, principal, g.id, group, user.username);
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAudit(tx, { actor: principal, action: 'membership.removed', target: `user:${user.username}`, group: g, details: { username: user.username, role: membership.role }, at: now });
    return { userId: user.id };
  });
}
