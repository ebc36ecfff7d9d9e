// Stores one executor's output messages in the order they came, coalescing whatever arrived
// while the previous write ran into one transaction: under a flood (50 MB at once) the writes
// stay few and large, and heartbeats and reports are never queued behind hundreds of them.
import type { OutputMessage } from '../lib/contracts/executor-protocol';
import type { Database } from '../lib/server/db/client';
import { appendOutput, transact, type Nudger } from '../lib/server/runs';
import { outputArrived } from '../lib/server/runs/output-events';
import type { ExecutorData } from './executor-hub';

const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export class OutputWriter {
  private pending: OutputMessage[] = [];
  private writing: Promise<void> | null = null;
  /** Attempts this executor holds, as far as this connection has checked (the fence for output). */
  private held = new Map<number, boolean>();

  constructor(
    private readonly db: Database,
    private readonly nudger: Nudger,
    private readonly executor: ExecutorData,
  ) {}

  add(msg: OutputMessage): void {
    this.pending.push(msg);
    if (!this.writing) this.writing = this.loop();
  }

  /** Resolves once everything received so far is stored. */
  async drained(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        let bytes = 0;
        let n = 0;
        while (n < this.pending.length && (n === 0 || bytes + this.pending[n].data.byteLength <= MAX_BATCH_BYTES)) bytes += this.pending[n++].data.byteLength;
        const batch = this.pending.splice(0, n);
        await this.write(batch);
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(batch: OutputMessage[]): Promise<void> {
    try {
      await transact(this.db, this.nudger, async (tx) => {
        const unknown = [...new Set(batch.map((m) => m.attemptId))].filter((id) => !this.held.has(id));
        if (unknown.length > 0) {
          const rows = await tx.attempt.findMany({ where: { id: { in: unknown } }, select: { id: true, executorId: true } });
          for (const id of unknown) this.held.set(id, rows.some((r) => r.id === id && r.executorId === this.executor.id));
        }
        // Output of an attempt this executor does not hold is dropped, fenced like a report.
        await appendOutput(tx, batch.filter((m) => this.held.get(m.attemptId)));
      });
      for (const id of new Set(batch.map((m) => m.attemptId))) outputArrived(id);
    } catch (e) {
      console.error(`executor ${this.executor.name}: storing ${batch.length} output chunks failed:`, e);
    }
  }
}
