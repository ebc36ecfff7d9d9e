// The per-run debugging timeline (RunEvent rows): every state change with its time and reason,
// attempts and the executor that ran them, exit codes. Written in the same transaction as the
// change it describes, so the timeline never disagrees with the states.
import type { Tx } from '../db/client';

export interface TimelineEntry {
  kind: string;
  message: string;
  job?: string;
  attempt?: number;
  data?: Record<string, unknown>;
}

export async function recordTimeline(tx: Tx, runId: number, now: number, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.runEvent.createMany({
    data: entries.map((e) => ({
      runId,
      at: new Date(now),
      kind: e.kind,
      job: e.job ?? null,
      attempt: e.attempt ?? null,
      message: e.message,
      data: e.data ? JSON.stringify(e.data) : null,
    })),
  });
}

export async function readTimeline(tx: Tx, runId: number) {
  const rows = await tx.runEvent.findMany({ where: { runId }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    at: r.at.toISOString(),
    kind: r.kind,
    job: r.job,
    attempt: r.attempt,
    message: r.message,
    ...(r.data ? { data: JSON.parse(r.data) as unknown } : {}),
  }));
}
