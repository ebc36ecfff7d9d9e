// Reading workflows: one (GET /workflows/{name}), the list (GET /workflows), the versions (GET
// /workflows/{name}/versions). Only groups the caller is a member of are visible (site admins see all).

import type { WorkflowDetail, WorkflowList, WorkflowVersions } from '../../contracts/api';
import { previewFireTimes } from '../../domain/schedule';
import { groupFilter, requireWorkflowRole, visibleGroups, type Principal } from '../auth';
import type { Database } from '../db/client';
import { notFound } from '../errors';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export async function getWorkflow(db: Database, principal: Principal, name: string, opts: { version?: number; now: number }): Promise<WorkflowDetail> {
  const wf = await requireWorkflowRole(db, principal, name, 'viewer');
  const version = opts.version ?? wf.currentVersion;
  const [row, schedule, workflow] = await Promise.all([
    db.prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId: wf.id, version } } }),
    db.prisma.schedule.findUnique({ where: { workflowId: wf.id } }),
    db.prisma.workflow.findUniqueOrThrow({ where: { id: wf.id }, select: { createdAt: true, updatedAt: true } }),
  ]);
  if (!row) {
    throw notFound(`workflow '${name}' has no version ${version}; its versions are 1 to ${wf.currentVersion}`, undefined, 'version_not_found');
  }
  let nextFireTimes: WorkflowDetail['nextFireTimes'] = [];
  if (schedule?.enabled) {
    const preview = previewFireTimes(schedule.cron, schedule.timezone, opts.now, 5);
    if (preview.ok) nextFireTimes = preview.value;
  }
  return {
    name: wf.name,
    group: wf.group,
    version,
    currentVersion: wf.currentVersion,
    definition: JSON.parse(row.definition) as Record<string, unknown>,
    createdAt: iso(workflow.createdAt),
    updatedAt: iso(workflow.updatedAt),
    versionCreatedAt: iso(row.createdAt),
    versionCreatedBy: row.createdBy,
    schedule: schedule
      ? {
          cron: schedule.cron,
          timezone: schedule.timezone,
          catchup: schedule.catchup,
          catchupLimit: schedule.catchupLimit,
          overlap: schedule.overlap,
          enabled: schedule.enabled,
          nextFireAt: isoOrNull(schedule.nextFireAt),
          lastFireAt: isoOrNull(schedule.lastFireAt),
        }
      : null,
    nextFireTimes,
  };
}

export async function listWorkflows(db: Database, principal: Principal, opts: { group?: string } = {}): Promise<WorkflowList> {
  const visible = await visibleGroups(db, principal);
  const rows = await db.prisma.workflow.findMany({
    where: { ...groupFilter(visible), ...(opts.group !== undefined && { group: { name: opts.group } }) },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      currentVersion: true,
      updatedAt: true,
      group: { select: { name: true } },
      schedule: { select: { cron: true, timezone: true, enabled: true, nextFireAt: true } },
      // The newest top-level run: what the list's "last run" column shows.
      runs: { where: { parentJobRunId: null }, orderBy: { id: 'desc' }, take: 1, select: { id: true, state: true, createdAt: true, endedAt: true } },
    },
  });
  const versions =
    rows.length === 0
      ? []
      : await db.prisma.workflowVersion.findMany({
          where: { OR: rows.map((r) => ({ workflowId: r.id, version: r.currentVersion })) },
          select: { workflowId: true, definition: true },
        });
  const descriptions = new Map(versions.map((v) => [v.workflowId, (JSON.parse(v.definition) as { description?: string }).description ?? null]));
  return {
    workflows: rows.map((r) => ({
      name: r.name,
      group: r.group.name,
      description: descriptions.get(r.id) ?? null,
      version: r.currentVersion,
      updatedAt: iso(r.updatedAt),
      schedule: r.schedule ? { ...r.schedule, nextFireAt: isoOrNull(r.schedule.nextFireAt) } : null,
      lastRun: r.runs[0] ? { id: r.runs[0].id, state: r.runs[0].state, createdAt: iso(r.runs[0].createdAt), endedAt: isoOrNull(r.runs[0].endedAt) } : null,
    })),
  };
}

export async function listVersions(db: Database, principal: Principal, name: string): Promise<WorkflowVersions> {
  const wf = await requireWorkflowRole(db, principal, name, 'viewer');
  const rows = await db.prisma.workflowVersion.findMany({
    where: { workflowId: wf.id },
    orderBy: { version: 'desc' },
    select: { version: true, createdAt: true, createdBy: true },
  });
  return { name: wf.name, currentVersion: wf.currentVersion, versions: rows.map((r) => ({ version: r.version, createdAt: iso(r.createdAt), createdBy: r.createdBy })) };
}
