// GET /audit: the trail, newest first. A site admin sees every entry; a group admin sees the
// entries of the groups they are admin of (workflows, runs and memberships there); anyone else
// is refused. Site-wide entries (users, groups, tokens) are the site admins' only.
import type { AuditEntryJson } from '../../contracts/admin';
import type { Principal } from '../auth/principal';
import type { Database } from '../db/client';
import { forbidden } from '../errors';

export interface AuditFilter {
  workflow?: string;
  group?: string;
  action?: string;
  limit: number;
  before?: number;
}

export async function listAudit(db: Database, principal: Principal, filter: AuditFilter): Promise<AuditEntryJson[]> {
  let groupIds: number[] | undefined;
  if (!principal.isSiteAdmin) {
    const rows = await db.prisma.membership.findMany({ where: { userId: principal.userId, role: 'admin' }, select: { groupId: true } });
    if (rows.length === 0) {
      throw forbidden('the audit trail is for site admins and group admins; you are not an admin of any group', { needed: 'admin' }, 'role_required');
    }
    groupIds = rows.map((r) => r.groupId);
  }
  const rows = await db.prisma.auditEntry.findMany({
    where: {
      ...(groupIds && { groupId: { in: groupIds } }),
      ...(filter.workflow !== undefined && { workflow: filter.workflow }),
      ...(filter.group !== undefined && { groupName: filter.group }),
      ...(filter.action !== undefined && { action: filter.action }),
      ...(filter.before !== undefined && { id: { lt: filter.before } }),
    },
    orderBy: { id: 'desc' },
    take: filter.limit,
  });
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    group: r.groupName,
    workflow: r.workflow,
    details: parseDetails(r.details),
  }));
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { text };
  }
}
