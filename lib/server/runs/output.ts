// Job output: stored as the executor sent it, in ordered chunks of raw bytes (byte-safe: nothing
// is decoded on the way in, so non-UTF-8 output never breaks a run). The executor bounds each
// attempt (head and tail kept); the server enforces the same bound so a misbehaving executor
// cannot fill the database.
import { isEnded } from '../../domain/run';
import type { JobState } from '../../domain/types';
import type { Tx } from '../db/client';
import { ApiError } from '../errors';

export interface OutputChunkIn {
  attemptId: number;
  seq: number;
  stream: 'stdout' | 'stderr';
  data: Uint8Array;
}

export async function appendOutput(tx: Tx, chunks: OutputChunkIn[]): Promise<void> {
  if (chunks.length === 0) return;
  await tx.outputChunk.createMany({
    data: chunks.map((c) => ({ attemptId: c.attemptId, seq: c.seq, stream: c.stream, data: Buffer.from(c.data) })),
  });
}

export interface OutputTarget {
  attemptId: number;
  number: number;
  ended: boolean;
  droppedBytes: number;
}

/** The attempt whose output is asked for: the given number, else the latest. */
export async function findOutputTarget(tx: Tx, runId: number, job: string, attempt?: number): Promise<OutputTarget> {
  const jobRun = await tx.jobRun.findUnique({ where: { runId_job: { runId, job } }, select: { id: true, state: true, reason: true, childRunId: true } });
  if (!jobRun) throw new ApiError(404, 'not_found', `run ${runId} has no job '${job}'`);
  const row = await tx.attempt.findFirst({
    where: { jobRunId: jobRun.id, ...(attempt !== undefined && { number: attempt }) },
    orderBy: { number: 'desc' },
    select: { id: true, number: true, state: true, droppedBytes: true },
  });
  if (!row) {
    if (attempt !== undefined) throw new ApiError(404, 'not_found', `job '${job}' of run ${runId} has no attempt ${attempt}`);
    if (jobRun.childRunId !== null) throw new ApiError(404, 'no_output', `job '${job}' of run ${runId} is a nested workflow: its output is in child run ${jobRun.childRunId}`);
    if (isEnded(jobRun.state as JobState)) {
      throw new ApiError(404, 'no_output', `job '${job}' of run ${runId} has no output: it ended ${jobRun.state} without running${jobRun.reason ? ` (${jobRun.reason})` : ''}`);
    }
    throw new ApiError(404, 'no_output', `job '${job}' of run ${runId} has not started yet: no output (follow=1 waits for it)`);
  }
  return { attemptId: row.id, number: row.number, ended: row.state !== 'executing', droppedBytes: row.droppedBytes };
}

/** Chunks after `afterSeq`, in order. */
export async function readChunks(tx: Tx, attemptId: number, afterSeq = -1) {
  return tx.outputChunk.findMany({
    where: { attemptId, seq: { gt: afterSeq } },
    orderBy: { seq: 'asc' },
    select: { seq: true, stream: true, data: true },
  });
}

/** The last `lines` lines of an attempt's output as text (for notifications), decoded leniently. */
export async function outputTail(tx: Tx, attemptId: number, lines: number): Promise<string> {
  const chunks = await tx.outputChunk.findMany({ where: { attemptId }, orderBy: { seq: 'desc' }, take: 64, select: { data: true } });
  const text = Buffer.concat(chunks.reverse().map((c) => Buffer.from(c.data))).toString('utf8');
  return text.split('\n').slice(-lines - 1).join('\n');
}
