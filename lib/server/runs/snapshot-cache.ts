// Job-run snapshots kept between events, so an event on a 1,000-job run does not re-read 1,000
// rows. Safe because every job-run write goes through applyEvent, which bumps the run's
// lockVersion: a snapshot is used only when its lockVersion equals the one just read from the
// database in the same transaction. A snapshot written in a transaction is visible to later
// events of that transaction at once, and to the rest of the process only after the commit
// (transact), so a rolled-back write can never be mistaken for the truth.
import type { JobRunView } from '../../domain/run';

export interface JobRunRow extends JobRunView {
  id: number;
}

export interface Snapshot {
  lockVersion: number;
  jobRuns: ReadonlyMap<string, JobRunRow>;
}

const MAX_RUNS = 200;
const committed = new Map<number, Snapshot>();

export function findSnapshot(pending: Map<number, Snapshot>, runId: number, lockVersion: number): Snapshot | undefined {
  const s = pending.get(runId) ?? committed.get(runId);
  return s && s.lockVersion === lockVersion ? s : undefined;
}

/** After a commit: the transaction's snapshots become the process's. */
export function commitSnapshots(pending: Map<number, Snapshot>): void {
  for (const [runId, s] of pending) {
    committed.delete(runId); // re-insert: the map's order is its recency
    committed.set(runId, s);
    if (committed.size > MAX_RUNS) committed.delete(committed.keys().next().value!);
  }
}
