// GET /executors: every executor with its state, labels, capacity, last contact and the attempts
// it runs now. Executors belong to no group; the attempts listed are only those of workflows the
// caller may see.

import type { ExecutorList } from '../../contracts/api';
import { groupFilter, visibleGroups, type Principal } from '../auth';
import type { Database } from '../db/client';
import { labelsOf } from './tokens';

export async function listExecutors(db: Database, principal: Principal): Promise<ExecutorList> {
  const [executors, visible] = await Promise.all([db.prisma.executor.findMany({ orderBy: { id: 'asc' } }), visibleGroups(db, principal)]);
  const attempts = await db.prisma.attempt.findMany({
    where: { state: 'executing', executorId: { not: null }, jobRun: { run: { workflow: groupFilter(visible) } } },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      number: true,
      executorId: true,
      startedAt: true,
      jobRun: { select: { job: true, runId: true, run: { select: { workflow: { select: { name: true } } } } } },
    },
  });
  return {
    executors: executors.map((e) => ({
      id: e.id,
      name: e.name,
      state: e.state,
      labels: labelsOf(e.labels),
      capacity: e.capacity,
      lastSeenAt: e.lastSeenAt.toISOString(),
      createdAt: e.createdAt.toISOString(),
      running: attempts
        .filter((a) => a.executorId === e.id)
        .map((a) => ({
          attemptId: a.id,
          runId: a.jobRun.runId,
          workflow: a.jobRun.run.workflow.name,
          job: a.jobRun.job,
          attempt: a.number,
          startedAt: a.startedAt ? a.startedAt.toISOString() : null,
        })),
    })),
  };
}
