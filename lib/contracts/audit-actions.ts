// The audit trail's actions, in a module of their own without zod, so the admin page can list
// them without bundling the schemas.
export const AUDIT_ACTIONS = [
  'workflow.saved',
  'workflow.deleted',
  'run.triggered',
  'run.cancelled',
  'run.rerun',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.password-reset',
  'user.updated',
  'group.created',
  'group.deleted',
  'membership.added',
  'membership.changed',
  'membership.removed',
  'token.created',
  'token.revoked',
] as const;
