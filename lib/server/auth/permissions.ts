// The one permission check. A user holds a role per group: viewer < operator < editor < admin
// (view; start and cancel runs; save and delete workflows; manage the group). Site admins pass
// every check. A workflow in a group the caller is not a member of is reported as not found, so
// its existence does not leak; a member lacking the role gets a 403 naming the role needed.
//
// Every route and socket subscription that touches a group's things goes through requireRole
// (directly or through requireWorkflowRole / requireRunRole); listings filter with visibleGroups.
// The pages ask GET /api/v1/auth/me for the roles, to hide what a role does not allow; the API
// refuses it anyway.

import { ROLES, type Role } from '../../contracts/api';
import type { Database, Tx } from '../db/client';
import { forbidden, notFound, type ApiError } from '../errors';
import type { Principal } from './principal';

export { ROLES, type Role };

const RANK: Record<Role, number> = { viewer: 1, operator: 2, editor: 3, admin: 4 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

type Reader = Pick<Database['prisma'], 'membership' | 'workflow' | 'group' | 'run'> | Pick<Tx, 'membership' | 'workflow' | 'group' | 'run'>;
type DbOrTx = Database | Tx;

function reader(db: DbOrTx): Reader {
  return ('prisma' in db ? db.prisma : db) as Reader;
}

/** The caller's role in a group: 'admin' for site admins, null for a non-member (or no such group). */
export async function roleIn(db: DbOrTx, principal: Principal, groupName: string): Promise<Role | null> {
  if (principal.isSiteAdmin) return 'admin';
  const m = await reader(db).membership.findFirst({
    where: { userId: principal.userId, group: { name: groupName } },
    select: { role: true },
  });
  return m && isRole(m.role) ? m.role : null;
}

export interface RequireRoleOptions {
  /** Thrown when the caller is not a member (default: 404 naming the group). */
  notMember?: () => ApiError;
  /** Completes "you need the editor role in group 'g' to …". */
  toDo?: string;
}

/**
 * Passes when the caller holds `role` (or higher) in `groupName`, returning the role held.
 * Not a member → `opts.notMember()` (a 404 by default); a lower role → 403 naming the role needed.
 */
export async function requireRole(
  db: DbOrTx,
  principal: Principal,
  groupName: string,
  role: Role,
  opts: RequireRoleOptions = {},
): Promise<Role> {
  const held = await roleIn(db, principal, groupName);
  if (held === null) throw opts.notMember?.() ?? notFound(`group '${groupName}' not found`);
  if (!roleAtLeast(held, role)) {
    const toDo = opts.toDo ? ` to ${opts.toDo}` : '';
    throw forbidden(`you need the ${role} role in group '${groupName}'${toDo}; you are ${/^[aeiou]/.test(held) ? 'an' : 'a'} ${held}`, { needed: role, held, group: groupName }, 'role_required');
  }
  return held;
}

export interface VisibleWorkflow {
  id: number;
  name: string;
  groupId: number;
  group: string;
  currentVersion: number;
  role: Role;
}

export const workflowNotFound = (name: string) => notFound(`workflow '${name}' not found`, undefined, 'workflow_not_found');

/** Loads a workflow the caller may act on with `role`: 404 when it does not exist or sits in a group the caller is not in. */
export async function requireWorkflowRole(db: DbOrTx, principal: Principal, workflowName: string, role: Role, toDo?: string): Promise<VisibleWorkflow> {
  const wf = await reader(db).workflow.findUnique({
    where: { name: workflowName },
    select: { id: true, name: true, groupId: true, currentVersion: true, group: { select: { name: true } } },
  });
  if (!wf) throw workflowNotFound(workflowName);
  const held = await requireRole(db, principal, wf.group.name, role, { notMember: () => workflowNotFound(workflowName), toDo });
  return { id: wf.id, name: wf.name, groupId: wf.groupId, group: wf.group.name, currentVersion: wf.currentVersion, role: held };
}

export const runNotFound = (id: number) => notFound(`run ${id} not found`, undefined, 'run_not_found');

/** The workflow of a run the caller may act on with `role`; a run the caller may not see is "not found" (404 `run_not_found`). */
export async function requireRunRole(db: DbOrTx, principal: Principal, runId: number, role: Role, toDo?: string): Promise<VisibleWorkflow & { runId: number }> {
  const run = await reader(db).run.findUnique({ where: { id: runId }, select: { workflow: { select: { name: true } } } });
  if (!run) throw runNotFound(runId);
  try {
    return { ...(await requireWorkflowRole(db, principal, run.workflow.name, role, toDo)), runId };
  } catch (e) {
    if (e instanceof Error && (e as { code?: unknown }).code === 'workflow_not_found') throw runNotFound(runId);
    throw e;
  }
}

/** The groups whose workflows and runs the caller may see: 'all' for site admins, else group ids with the role held. */
export async function visibleGroups(db: DbOrTx, principal: Principal): Promise<'all' | Map<number, Role>> {
  if (principal.isSiteAdmin) return 'all';
  const rows = await reader(db).membership.findMany({ where: { userId: principal.userId }, select: { groupId: true, role: true } });
  return new Map(rows.filter((r) => isRole(r.role)).map((r) => [r.groupId, r.role as Role]));
}

/** A Prisma `where` fragment for rows whose workflow the caller may see (`{}` for site admins). */
export function groupFilter(visible: 'all' | Map<number, Role>): { groupId?: { in: number[] } } {
  return visible === 'all' ? {} : { groupId: { in: [...visible.keys()] } };
}

export function requireSiteAdmin(principal: Principal, toDo: string): void {
  if (!principal.isSiteAdmin) throw forbidden(`only a site admin may ${toDo}`, { needed: 'site admin' }, 'site_admin_required');
}
