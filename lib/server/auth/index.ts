// Authentication (who is calling) and the one permission check (what they may do).
export { authenticate, requireSignedIn, sameOrigin, type AuthenticateOptions, type Principal } from './principal';
export {
  groupFilter,
  isRole,
  requireRole,
  requireRunRole,
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
export {
  checkPassword,
  createPersonalToken,
  hashSecret,
  issueToken,
  issueTokenTx,
  listTokens,
  newSecret,
  resolveToken,
  revokeOwnToken,
  revokeToken,
  TOKEN_LIFETIME_MS,
} from './tokens';
export { hashPassword, verifyPassword, generatePassword } from './passwords';
export { checkSessionUser, readSessionCookie, resolveSession, sessionMaxAgeMs, SESSION_COOKIE_NAMES, DEFAULT_SESSION_HOURS } from './sessions';
