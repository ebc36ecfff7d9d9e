// Every state-changing use case runs through here: one write transaction (writeTx takes the
// write lock up front and retries on busy), retried from scratch on a lockVersion conflict, and
// its nudges published only after the commit.
import type { Database, Tx } from '../db/client';
import { writeTx } from '../db/write';
import { WriteConflict } from './conflict';
import { newPostCommit, type Nudger, type PostCommit } from './post-commit';
import { commitSnapshots } from './snapshot-cache';
import { flushTimeline } from './timeline';

const MAX_CONFLICT_RETRIES = 20;

export async function transact<T>(db: Database, nudger: Nudger, fn: (tx: Tx, post: PostCommit) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const post = newPostCommit(db.provider);
    try {
      const result = await writeTx(db, async (tx) => {
        const r = await fn(tx, post);
        await flushTimeline(tx, post);
        return r;
      });
      commitSnapshots(post.snapshots);
      nudger.publish(post);
      return result;
    } catch (e) {
      if (!(e instanceof WriteConflict) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
    }
  }
}
