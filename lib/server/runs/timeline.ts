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

function row(runId: number, now: number, e: TimelineEntry) {
  return {
    runId,
    at: new Date(now),
    kind: e.kind,
    job: e.job ?? null,
    attempt: e.attempt ?? null,
    message: e.message,
    data: e.data ? JSON.stringify(e.data) : null,
  };
}

export async function recordTimeline(tx: Tx, runId: number, now: number, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.runEvent.createMany({ data: entries.map((e) => row(runId, now, e)) });
}

/**
 * The run engine's timeline rows wait in the transaction's PostCommit and are written in one
 * insert when the transaction's work is done (transact): a hand-off writes one statement for its
 * timeline instead of four. Order is kept: rows are inserted in the order they were added.
 */
export function bufferTimeline(post: { timeline: ReturnType<typeof row>[] }, runId: number, now: number, entries: TimelineEntry[]): void {
  for (const e of entries) post.timeline.push(row(runId, now, e));
}

export async function flushTimeline(tx: Tx, post: { timeline: ReturnType<typeof row>[] }): Promise<void> {
  if (post.timeline.length === 0) return;
  const rows = post.timeline.splice(0);
  await tx.runEvent.createMany({ data: rows });
}

export type TimelineRow = ReturnType<typeof row>;

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
