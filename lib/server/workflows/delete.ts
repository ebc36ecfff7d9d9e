// Deleting a workflow (DELETE /workflows/{name}): refused while another workflow's current
// version nests it (409 naming them) or while it has runs in progress (409); otherwise the
// workflow goes with its versions, schedule and run history (docs/decisions/workflow-saves.md).

import { recordAudit } from '../audit/record';
import { requireWorkflowRole, visibleGroups, type Principal } from '../auth';
import type { Database } from '../db/client';
import { writeTx } from '../db/write';
import { conflict } from '../errors';
import { lockWorkflowGraph, nestersOf } from './graph';

const ACTIVE_RUN_STATES = ['new', 'executing'];

export async function deleteWorkflow(db: Database, principal: Principal, name: string, now: number = Date.now()): Promise<void> {
  await writeTx(db, async (tx) => {
    await lockWorkflowGraph(db, tx);
    const wf = await requireWorkflowRole(tx, principal, name, 'editor', 'delete workflows');
    const nesters = await nestersOf(tx, name);
    if (nesters.length > 0) {
      const visible = await visibleGroups(tx, principal);
      const shown = nesters.filter((n) => visible === 'all' || visible.has(n.groupId)).map((n) => n.name);
      const hidden = nesters.length - shown.length;
      const names = [...shown.map((n) => `'${n}'`), ...(hidden > 0 ? [`${hidden} workflow${hidden > 1 ? 's' : ''} you cannot see`] : [])];
      throw conflict(
        `workflow '${name}' is nested by ${names.join(', ')}; remove the jobs that nest it (or delete those workflows) first`,
        { nestedBy: shown, hidden },
        'workflow_nested',
      );
    }
    const active = await tx.run.count({ where: { workflowId: wf.id, state: { in: ACTIVE_RUN_STATES } } });
    if (active > 0) {
      throw conflict(`workflow '${name}' has ${active} run${active > 1 ? 's' : ''} in progress; cancel ${active > 1 ? 'them' : 'it'} (or wait for ${active > 1 ? 'them' : 'it'} to end) first`, { activeRuns: active }, 'workflow_busy');
    }
    await tx.workflow.delete({ where: { id: wf.id } });
    await recordAudit(tx, {
      actor: principal,
      action: 'workflow.deleted',
      target: `workflow:${name}`,
      group: { id: wf.groupId, name: wf.group },
      workflow: name,
      details: { version: wf.currentVersion },
      at: now,
    });
  });
}
