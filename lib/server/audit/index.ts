// The audit trail (docs/auth.md): recordAudit in the transaction of each change, listAudit for GET /audit.
export { recordAudit, type AuditActor, type AuditInput } from './record';
export { listAudit, type AuditFilter } from './list';
