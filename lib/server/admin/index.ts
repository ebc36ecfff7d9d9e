// Managing users, groups and memberships (docs/auth.md). Every use case checks permission with
// the one check (lib/server/auth/permissions.ts) and writes its audit entry in its transaction.
export { createUser, getUser, listUsers, updateUser, userNotFound, type UpdateResult } from './users';
export { createGroup, deleteGroup, groupNotFound, listGroups } from './groups';
export { addMember, changeMemberRole, listMembers, removeMember, type MembershipChange } from './memberships';
