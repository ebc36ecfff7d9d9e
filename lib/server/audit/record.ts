// The audit trail: who changed or triggered what. recordAudit() is called with the transaction
// of the change itself, so an entry exists exactly when the change committed (a refused or
// rolled-back change leaves none, and a retried transaction writes it once).
import type { AuditAction } from '../../contracts/admin';
import type { Tx } from '../db/client';

export interface AuditActor {
  userId: number;
  username: string;
}

export interface AuditInput {
  /** Who did it; null for Course itself. A Principal fits. */
  actor: AuditActor | null;
  action: AuditAction;
  /** What it was done to: `workflow:NAME`, `run:ID`, `user:NAME`, `group:NAME`, `token:ID`. */
  target: string;
  /** What changed, as a small JSON object (never secrets). */
  details?: Record<string, unknown>;
  /** The group the target belongs to: its admins see the entry. Omit for site-wide changes (users). */
  group?: { id: number; name: string } | null;
  /** The workflow concerned (GET /audit?workflow=). */
  workflow?: string | null;
  /** When, ms since the epoch (default now). */
  at?: number;
}

export async function recordAudit(tx: Tx, entry: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      at: new Date(entry.at ?? Date.now()),
      actor: entry.actor?.username ?? null,
      actorId: entry.actor?.userId ?? null,
      action: entry.action,
      target: entry.target,
      groupId: entry.group?.id ?? null,
      groupName: entry.group?.name ?? null,
      workflow: entry.workflow ?? null,
      details: JSON.stringify(entry.details ?? {}),
    },
  });
}
