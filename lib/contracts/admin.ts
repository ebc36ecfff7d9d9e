// The shapes of the admin, token and audit API (docs/auth.md): users and groups (site admins),
// a group's memberships (its admins), personal API tokens (everyone, their own), the audit trail.
// Imports zod only: the GUI uses these types too.
import { AUDIT_ACTIONS } from './audit-actions';
import { z } from 'zod';
import { Instant, Role } from './api';

export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

const Username = z.string().regex(USERNAME, 'username: 1–64 letters, digits, _ . @ -, starting with a letter or digit');
const GroupName = z.string().regex(GROUP_NAME, 'group name: 1–64 letters, digits, _ . -, starting with a letter or digit');
const Password = z.string().min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`).max(1000);
const Email = z.email().max(320);

// ---- users (site admin) ---------------------------------------------------------------------

export const UserInfo = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string().nullable(),
  isSiteAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: Instant,
  groups: z.array(z.object({ name: z.string(), role: Role })),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const UserList = z.object({ users: z.array(UserInfo) });
export type UserList = z.infer<typeof UserList>;

export const CreateUserBody = z.strictObject({
  username: Username,
  password: Password,
  email: Email.optional(),
  isSiteAdmin: z.boolean().optional(),
  /** Memberships to start with: { GROUP: ROLE }. */
  groups: z.record(z.string(), Role).optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .strictObject({
    disabled: z.boolean().optional().meta({ description: 'true: every sign-in, session, token and socket of the user is refused at once' }),
    password: Password.optional().meta({ description: 'a new password; sessions signed in before end' }),
    email: Email.nullable().optional(),
    isSiteAdmin: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one of disabled, password, email, isSiteAdmin' });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UsernameParams = z.object({ username: Username });

// ---- groups (site admin; members see their own) -----------------------------------------------

export const GroupInfo = z.object({
  name: z.string(),
  createdAt: Instant,
  members: z.number().int(),
  workflows: z.number().int(),
  /** The caller's role in it (admin for site admins). */
  role: Role,
});
export type GroupInfo = z.infer<typeof GroupInfo>;

export const GroupList = z.object({ groups: z.array(GroupInfo) });
export type GroupList = z.infer<typeof GroupList>;

export const CreateGroupBody = z.strictObject({ name: GroupName });
export const GroupParams = z.object({ group: GroupName });

// ---- memberships (group admin or site admin) --------------------------------------------------

export const MemberInfo = z.object({ username: z.string(), role: Role, disabled: z.boolean() });
export type MemberInfo = z.infer<typeof MemberInfo>;

export const MemberList = z.object({ group: z.string(), members: z.array(MemberInfo) });
export type MemberList = z.infer<typeof MemberList>;

export const AddMemberBody = z.strictObject({ username: Username, role: Role });
export const ChangeMemberBody = z.strictObject({ role: Role });
export const MemberParams = z.object({ group: GroupName, username: Username });

// ---- personal API tokens ----------------------------------------------------------------------

export const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100).meta({ description: 'a label, e.g. "laptop CLI"' }),
  expiresInDays: z.number().int().min(1).max(3650).optional().meta({ description: 'default 30' }),
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const TokenInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: Instant,
  expiresAt: Instant,
  lastUsedAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

export const CreatedToken = TokenInfo.extend({ token: z.string().meta({ description: 'shown once: only its SHA-256 is stored' }) });
export type CreatedToken = z.infer<typeof CreatedToken>;

export const TokenList = z.object({ tokens: z.array(TokenInfo) });
export type TokenList = z.infer<typeof TokenList>;

export const TokenIdParams = z.object({ id: z.coerce.number().int().min(1) });

// ---- the audit trail --------------------------------------------------------------------------

export { AUDIT_ACTIONS };
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntryJson = z.object({
  id: z.number().int(),
  at: Instant,
  actor: z.string().nullable().meta({ description: 'username; null for Course itself' }),
  action: z.string().meta({ description: `what was done: ${AUDIT_ACTIONS.join(', ')}` }),
  target: z.string().meta({ description: 'workflow:NAME, run:ID, user:NAME, group:NAME, token:ID' }),
  group: z.string().nullable(),
  workflow: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryJson = z.infer<typeof AuditEntryJson>;

export const AuditQuery = z.object({
  workflow: z.string().optional(),
  group: z.string().optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional().meta({ description: 'entries with a smaller id (paging back)' }),
});

export const AuditList = z.object({ entries: z.array(AuditEntryJson) });
export type AuditList = z.infer<typeof AuditList>;
