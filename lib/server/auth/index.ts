// Authentication (who is calling) and the one permission check (what they may do).
export { authenticate, requireSignedIn, type Principal } from './principal';
export {
  groupFilter,
  isRole,
  requireRole,
  requireSiteAdmin,
  requireWorkflowRole,
  roleAtLeast,
  roleIn,
  ROLES,
  visibleGroups,
  workflowNotFound,
  type RequireRoleOptions,
  type Role,
  type VisibleWorkflow,
} from './permissions';
export { checkPassword, hashSecret, issueToken, newSecret, resolveToken, revokeToken, TOKEN_LIFETIME_MS } from './tokens';
export { hashPassword, verifyPassword, generatePassword } from './passwords';
export { readSessionToken, signIn, signOut, SESSION_COOKIE } from './session';
