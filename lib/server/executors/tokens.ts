// Executor tokens: POST /executors/tokens (site admins) makes an Executor row holding the SHA-256
// of a new random token and hands the token out once; `npm start` gets one for its local executor
// (bootstrap.ts). The executor presents it when it connects (the lead's executor protocol looks
// the row up by Executor.tokenHash).

import type { ExecutorTokenRequest } from '../../contracts/api';
import { hashSecret, newSecret, requireSiteAdmin, type Principal } from '../auth';
import type { Database } from '../db/client';
import { writeTx } from '../db/write';

export const DEFAULT_EXECUTOR_CAPACITY = 2;

/** Labels as stored: sorted, comma-joined ("" for none), like JobRun.runsOn. */
export function storedLabels(labels: readonly string[]): string {
  return [...new Set(labels)].sort().join(',');
}

export function labelsOf(stored: string): string[] {
  return stored === '' ? [] : stored.split(',');
}

export interface NewExecutorToken {
  id: number;
  name: string;
  labels: string[];
  capacity: number;
  token: string;
}

export async function createExecutorToken(db: Database, principal: Principal, input: ExecutorTokenRequest, now: number): Promise<NewExecutorToken> {
  requireSiteAdmin(principal, 'create executor tokens');
  const token = newSecret();
  const labels = storedLabels(input.labels ?? []);
  const capacity = input.capacity ?? DEFAULT_EXECUTOR_CAPACITY;
  const at = new Date(now);
  // `lost` until it first connects and says hello: it has never been seen.
  const row = await writeTx(db, (tx) =>
    tx.executor.create({ data: { name: input.name, tokenHash: hashSecret(token), labels, tokenLabels: labels, capacity, state: 'lost', lastSeenAt: at, createdAt: at } }),
  );
  return { id: row.id, name: row.name, labels: labelsOf(row.labels), capacity: row.capacity, token };
}

/**
 * The token of the executor `npm start` runs beside web and worker: the row named `local`, with a
 * new token on every start (the old one stops working).
 */
export async function ensureLocalExecutorToken(db: Database, opts: { now?: number; capacity?: number } = {}): Promise<string> {
  const token = newSecret();
  const at = new Date(opts.now ?? Date.now());
  const capacity = opts.capacity ?? DEFAULT_EXECUTOR_CAPACITY;
  await writeTx(db, async (tx) => {
    const row = await tx.executor.findFirst({ where: { name: 'local' }, orderBy: { id: 'asc' }, select: { id: true } });
    if (row) await tx.executor.update({ where: { id: row.id }, data: { tokenHash: hashSecret(token), capacity } });
    else await tx.executor.create({ data: { name: 'local', tokenHash: hashSecret(token), capacity, state: 'lost', lastSeenAt: at, createdAt: at } });
  });
  return token;
}
