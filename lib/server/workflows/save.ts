// Saving a workflow (PUT /api/v1/workflows/{name}): the definition validated by the domain, the
// group and the caller's role checked, every nested workflow saved, no containment cycle; then
// Workflow, a new WorkflowVersion, its Job and JobNeed rows and the Schedule row written in one
// write transaction. A save whose normalized definition equals the current version's makes no
// new version (docs/decisions/workflow-saves.md).

import { findContainmentCycle, toStoredDefinition, validateDefinition } from '../../domain/definition';
import { nextFireTime, parseCron } from '../../domain/schedule';
import type { Problem, ScheduleSpec, WorkflowSpec } from '../../domain/types';
import { recordAudit } from '../audit/record';
import { roleIn, requireRole, visibleGroups, type Principal } from '../auth';
import type { Database, Tx } from '../db/client';
import { writeTx } from '../db/write';
import { ApiError, conflict, unprocessable } from '../errors';
import { lockWorkflowGraph, savedChildren } from './graph';

export interface SaveResult {
  /** True when the workflow did not exist before. */
  created: boolean;
  /** False when the definition equalled the current version's (no new version was made). */
  changed: boolean;
  name: string;
  group: string;
  version: number;
}

/** The definition's problems as one 422: `message` is the first problem, `details` all of them. */
export function invalidDefinition(problems: Problem[], code = 'invalid_definition'): ApiError {
  const first = problems[0];
  const where = first.path === '' ? '' : `${first.path}: `;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}, in details)` : '';
  return unprocessable(`${where}${first.message}${more}`, problems, code);
}

export async function saveWorkflow(db: Database, principal: Principal, name: string, raw: unknown, now: number): Promise<SaveResult> {
  const checked = validateDefinition(raw, { name });
  if (!checked.ok) throw invalidDefinition(checked.problems);
  const spec = checked.value;
  const definition = JSON.stringify(toStoredDefinition(spec));

  return writeTx(db, async (tx) => {
    await lockWorkflowGraph(db, tx);
    await checkGroup(tx, principal, spec.group);
    const existing = await tx.workflow.findUnique({
      where: { name: spec.name },
      select: { id: true, groupId: true, currentVersion: true, group: { select: { name: true } } },
    });
    if (existing && existing.group.name !== spec.group) {
      const held = await roleIn(tx, principal, existing.group.name);
      if (held === null) throw conflict(`the name '${spec.name}' is taken by a workflow you cannot see; choose another name`, undefined, 'name_taken');
      await requireRole(tx, principal, existing.group.name, 'editor', { toDo: `move workflow '${spec.name}' out of it` });
    }
    await checkNested(tx, principal, spec);

    if (existing) {
      const current = await tx.workflowVersion.findUnique({
        where: { workflowId_version: { workflowId: existing.id, version: existing.currentVersion } },
        select: { definition: true },
      });
      if (current?.definition === definition) {
        return { created: false, changed: false, name: spec.name, group: spec.group, version: existing.currentVersion };
      }
    }

    const group = await tx.group.findUniqueOrThrow({ where: { name: spec.group }, select: { id: true } });
    const version = existing ? existing.currentVersion + 1 : 1;
    const at = new Date(now);
    const workflowId = existing
      ? (await tx.workflow.update({ where: { id: existing.id }, data: { groupId: group.id, currentVersion: version, updatedAt: at }, select: { id: true } })).id
      : (await tx.workflow.create({ data: { name: spec.name, groupId: group.id, currentVersion: version, createdAt: at, updatedAt: at }, select: { id: true } })).id;

    // Bulk inserts, not nested creates: a nested create is one statement per job and per need,
    // and this transaction holds SQLite's only write lock while it runs.
    const { id: versionId } = await tx.workflowVersion.create({
      data: { workflowId, version, definition, createdAt: at, createdBy: principal.username },
      select: { id: true },
    });
    const jobs = Object.values(spec.jobs);
    if (jobs.length > 0) {
      await tx.job.createMany({ data: jobs.map((job) => ({ versionId, name: job.name, command: job.command ?? null, childWorkflow: job.workflow ?? null })) });
      const ids = new Map((await tx.job.findMany({ where: { versionId }, select: { id: true, name: true } })).map((j) => [j.name, j.id]));
      const needs = jobs.flatMap((job) => job.needs.map((n) => ({ jobId: ids.get(job.name)!, needs: n })));
      if (needs.length > 0) await tx.jobNeed.createMany({ data: needs });
    }
    await saveSchedule(tx, workflowId, spec.schedule, now);
    await recordAudit(tx, {
      actor: principal,
      action: 'workflow.saved',
      target: `workflow:${spec.name}`,
      group: { id: group.id, name: spec.group },
      workflow: spec.name,
      details: { version, created: !existing, ...(existing && existing.group.name !== spec.group && { movedFrom: existing.group.name }) },
      at: now,
    });
    return { created: !existing, changed: true, name: spec.name, group: spec.group, version };
  });
}

/** The group must exist and the caller be an editor there. A group the caller is not in is reported like a missing one (nothing leaks). */
async function checkGroup(tx: Tx, principal: Principal, groupName: string): Promise<void> {
  const exists = await tx.group.findUnique({ where: { name: groupName }, select: { id: true } });
  const held = exists ? await roleIn(tx, principal, groupName) : null;
  if (held === null) {
    const message = `group '${groupName}' does not exist${principal.isSiteAdmin ? '' : ' or you are not a member of it'}; use a group you are an editor of (default: 'default')`;
    throw unprocessable(message, [{ path: 'group', message }], 'unknown_group');
  }
  await requireRole(tx, principal, groupName, 'editor', { toDo: 'save workflows in it' });
}

/** Every `workflow:` job must name a saved workflow the caller can see, and nesting must not make a cycle. */
async function checkNested(tx: Tx, principal: Principal, spec: WorkflowSpec): Promise<void> {
  const jobsByChild = new Map<string, string[]>();
  for (const job of Object.values(spec.jobs)) {
    if (job.workflow !== undefined) jobsByChild.set(job.workflow, [...(jobsByChild.get(job.workflow) ?? []), job.name]);
  }
  if (jobsByChild.size === 0) return;

  const rows = await tx.workflow.findMany({ where: { name: { in: [...jobsByChild.keys()] } }, select: { name: true, groupId: true } });
  const visible = await visibleGroups(tx, principal);
  const seen = new Set(rows.filter((r) => visible === 'all' || visible.has(r.groupId)).map((r) => r.name));
  const problems: Problem[] = [];
  for (const [child, jobs] of jobsByChild) {
    if (seen.has(child)) continue;
    for (const job of jobs) {
      problems.push({ path: `jobs.${job}.workflow`, message: `workflow '${child}' (nested by job '${job}') is not saved; save '${child}' first, then this workflow` });
    }
  }
  if (problems.length > 0) throw invalidDefinition(problems, 'unsaved_workflow');

  const children = await savedChildren(tx);
  const cycle = findContainmentCycle(spec.name, [...jobsByChild.keys()], (w) => children.get(w) ?? (seen.has(w) ? [] : undefined));
  if (cycle) {
    const job = jobsByChild.get(cycle[1])![0];
    const message = `containment cycle: ${cycle.join(' → ')}; a run of '${spec.name}' would start itself again; remove one of these nested workflows`;
    throw unprocessable(message, [{ path: `jobs.${job}.workflow`, message }], 'containment_cycle');
  }
}

/**
 * The Schedule row follows the definition. A new schedule, a re-enabled one and one whose cron or
 * zone changed count from now (CONTRACT.md: no runs for earlier times); only policies changing
 * keeps the persisted next fire time. A removed schedule deletes the row; a disabled one keeps it
 * with no next fire time.
 */
async function saveSchedule(tx: Tx, workflowId: number, schedule: ScheduleSpec | undefined, now: number): Promise<void> {
  const row = await tx.schedule.findUnique({ where: { workflowId } });
  if (!schedule) {
    if (row) await tx.schedule.delete({ where: { workflowId } });
    return;
  }
  const policies = { catchup: schedule.catchup, catchupLimit: schedule.catchupLimit, overlap: schedule.overlap, enabled: schedule.enabled };
  const restart = !row || !row.enabled || row.cron !== schedule.cron || row.timezone !== schedule.timezone;
  if (!schedule.enabled) {
    const data = { cron: schedule.cron, timezone: schedule.timezone, ...policies, nextFireAt: null };
    if (row) await tx.schedule.update({ where: { workflowId }, data });
    else await tx.schedule.create({ data: { workflowId, ...data, countFrom: new Date(now) } });
    return;
  }
  if (!restart) {
    await tx.schedule.update({ where: { workflowId }, data: policies });
    return;
  }
  const parsed = parseCron(schedule.cron);
  // validateDefinition already refused an expression that does not parse or never fires.
  if (!parsed.ok) throw new Error(`cron '${schedule.cron}' passed validation but does not parse`);
  const next = nextFireTime(parsed.value, schedule.timezone, now);
  const data = { cron: schedule.cron, timezone: schedule.timezone, ...policies, countFrom: new Date(now), nextFireAt: next === null ? null : new Date(next) };
  if (row) await tx.schedule.update({ where: { workflowId }, data });
  else await tx.schedule.create({ data: { workflowId, ...data } });
}
