// Groups: a site admin lists, creates and deletes them (only while no workflow is in it; its
// memberships go with it). Anyone signed in lists the groups they are a member of.
import type { GroupInfo } from '../../contracts/admin';
import { recordAudit } from '../audit/record';
import { DEFAULT_GROUP } from '../bootstrap';
import { isRole, requireSiteAdmin } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { writeTx } from '../db/write';
import { conflict, notFound } from '../errors';

export const groupNotFound = (name: string) => notFound(`group '${name}' not found`, undefined, 'group_not_found');

/** Site admins: every group; others: the groups they are a member of, with their role. */
export async function listGroups(db: Database, principal: Principal): Promise<GroupInfo[]> {
  const memberships = await db.prisma.membership.findMany({ where: { userId: principal.userId }, select: { groupId: true, role: true } });
  const roles = new Map(memberships.map((m) => [m.groupId, m.role]));
  const rows = await db.prisma.group.findMany({
    where: principal.isSiteAdmin ? {} : { id: { in: [...roles.keys()] } },
    select: { id: true, name: true, createdAt: true, _count: { select: { memberships: true, workflows: true } } },
    orderBy: { name: 'asc' },
  });
  return rows.flatMap((g) => {
    const role = principal.isSiteAdmin ? 'admin' : roles.get(g.id);
    if (!role || !isRole(role)) return [];
    return [{ name: g.name, createdAt: g.createdAt.toISOString(), members: g._count.memberships, workflows: g._count.workflows, role }];
  });
}

export async function createGroup(db: Database, principal: Principal, name: string, now: number): Promise<GroupInfo> {
  requireSiteAdmin(principal, 'create groups');
  const row = await writeTx(db, async (tx) => {
    if (await tx.group.findUnique({ where: { name }, select: { id: true } })) throw conflict(`group '${name}' already exists`, undefined, 'group_exists');
    const g = await tx.group.create({ data: { name, createdAt: new Date(now) }, select: { id: true, name: true, createdAt: true } });
    await recordAudit(tx, { actor: principal, action: 'group.created', target: `group:${name}`, group: { id: g.id, name }, at: now });
    return g;
  });
  return { name: row.name, createdAt: row.createdAt.toISOString(), members: 0, workflows: 0, role: 'admin' };
}

/** Deletes an empty group (no workflows); its memberships go with it. Returns the users who lost a membership. */
export async function deleteGroup(db: Database, principal: Principal, name: string, now: number): Promise<{ removedMembers: number[] }> {
  requireSiteAdmin(principal, 'delete groups');
  if (name === DEFAULT_GROUP) throw conflict(`group '${DEFAULT_GROUP}' cannot be deleted: definitions without \`group:\` are saved there`, undefined, 'default_group');
  return writeTx(db, async (tx) => {
    const g = await tx.group.findUnique({ where: { name }, select: { id: true, _count: { select: { workflows: true } }, memberships: { select: { userId: true, role: true, user: { select: { username: true } } } } } });
    if (!g) throw groupNotFound(name);
    if (g._count.workflows > 0) {
      const n = g._count.workflows;
      throw conflict(`group '${name}' still has ${n} workflow${n > 1 ? 's' : ''}; delete or move ${n > 1 ? 'them' : 'it'} first`, { workflows: n }, 'group_not_empty');
    }
    await tx.group.delete({ where: { id: g.id } });
    await recordAudit(tx, {
      actor: principal,
      action: 'group.deleted',
      target: `group:${name}`,
      group: { id: g.id, name },
      details: { members: Object.fromEntries(g.memberships.map((m) => [m.user.username, m.role])) },
      at: now,
    });
    return { removedMembers: g.memberships.map((m) => m.userId) };
  });
}
