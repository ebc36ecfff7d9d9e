// Which saved workflows nest which (through their current versions' `workflow:` jobs): what the
// containment-cycle check on save and the "still nested" check on delete read.

import type { Database, Tx } from '../db/client';

/**
 * Saves and deletes read the nesting graph and then change it. SQLite's write transaction
 * already serializes them; on PostgreSQL two concurrent saves could each miss the other's new
 * edge and together make a cycle, so they take one transaction-scoped advisory lock.
 */
export async function lockWorkflowGraph(db: Database, tx: Tx): Promise<void> {
  if (db.provider === 'postgresql') await tx.$queryRawUnsafe('SELECT pg_advisory_xact_lock(4242001)::text');
}

/** Workflow name → the workflows its current version nests (only workflows that nest any). */
export async function savedChildren(tx: Tx): Promise<Map<string, string[]>> {
  const rows = await tx.job.findMany({
    where: { childWorkflow: { not: null } },
    select: { childWorkflow: true, version: { select: { version: true, workflow: { select: { name: true, currentVersion: true } } } } },
  });
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (r.version.version !== r.version.workflow.currentVersion) continue;
    const parent = r.version.workflow.name;
    const list = out.get(parent) ?? [];
    if (!list.includes(r.childWorkflow!)) list.push(r.childWorkflow!);
    out.set(parent, list);
  }
  return out;
}

/** The workflows whose current version nests `name`, with their group ids. */
export async function nestersOf(tx: Tx, name: string): Promise<{ name: string; groupId: number }[]> {
  const rows = await tx.job.findMany({
    where: { childWorkflow: name },
    select: { version: { select: { version: true, workflow: { select: { name: true, groupId: true, currentVersion: true } } } } },
  });
  const out = new Map<string, number>();
  for (const r of rows) {
    const wf = r.version.workflow;
    if (r.version.version === wf.currentVersion && wf.name !== name) out.set(wf.name, wf.groupId);
  }
  return [...out].map(([n, groupId]) => ({ name: n, groupId })).sort((a, b) => a.name.localeCompare(b.name));
}
