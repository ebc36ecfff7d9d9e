// Users and groups (site admins), a group's memberships (its admins and site admins) and the
// audit trail. Permission: the one check (lib/server/auth/permissions.ts), inside each use case.
// Changes that alter what a user may see tell the live hub (ctx.onAccessChanged), which drops
// that user's sockets so they reconnect and subscribe again through the check.

import {
  AddMemberBody,
  AuditList,
  AuditQuery,
  ChangeMemberBody,
  CreateGroupBody,
  CreateUserBody,
  GroupInfo,
  GroupList,
  GroupParams,
  MemberInfo,
  MemberList,
  MemberParams,
  UpdateUserBody,
  UserInfo,
  UserList,
  UsernameParams,
} from '../../lib/contracts/admin';
import { addMember, changeMemberRole, createGroup, createUser, deleteGroup, getUser, listGroups, listMembers, listUsers, removeMember, updateUser } from '../../lib/server/admin';
import { listAudit } from '../../lib/server/audit';
import { defineRoute, type ApiContext } from '../route';

const accessChanged = (ctx: ApiContext, userIds: number[]) => {
  if (userIds.length > 0) ctx.onAccessChanged?.(userIds);
};

export const adminRoutes = [
  // ---- users ----
  defineRoute({
    method: 'GET',
    path: '/admin/users',
    auth: 'user',
    summary: 'Every user with their groups and roles (site admin)',
    response: UserList,
    errors: [403],
    async handler(ctx, { principal }) {
      return { status: 200, body: { users: await listUsers(ctx.db, principal) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/users',
    auth: 'user',
    summary: 'Create a user with a password, optionally with memberships (site admin)',
    body: CreateUserBody,
    status: 201,
    response: UserInfo,
    errors: [403, 409, 422],
    async handler(ctx, { principal, body }) {
      return { status: 201, body: await createUser(ctx.db, principal, body, ctx.now()) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/admin/users/:username',
    auth: 'user',
    summary: 'One user (site admin)',
    params: UsernameParams,
    response: UserInfo,
    errors: [403, 404],
    async handler(ctx, { principal, params }) {
      return { status: 200, body: await getUser(ctx.db, principal, params.username) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/admin/users/:username',
    auth: 'user',
    summary: 'Disable or enable a user, reset their password, set their email or site-admin flag (site admin)',
    description: 'Disabling refuses the user’s sign-ins, sessions, tokens and sockets at once; a new password ends the sessions signed in before it.',
    params: UsernameParams,
    body: UpdateUserBody,
    response: UserInfo,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params, body }) {
      const r = await updateUser(ctx.db, principal, params.username, body, ctx.now());
      accessChanged(ctx, r.accessChanged ? [r.user.id] : []);
      return { status: 200, body: r.user };
    },
  }),

  // ---- groups ----
  defineRoute({
    method: 'GET',
    path: '/admin/groups',
    auth: 'user',
    summary: 'Groups with their member and workflow counts: every group for a site admin, the caller’s own otherwise',
    response: GroupList,
    async handler(ctx, { principal }) {
      return { status: 200, body: { groups: await listGroups(ctx.db, principal) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/groups',
    auth: 'user',
    summary: 'Create a group (site admin)',
    body: CreateGroupBody,
    status: 201,
    response: GroupInfo,
    errors: [403, 409],
    async handler(ctx, { principal, body }) {
      return { status: 201, body: await createGroup(ctx.db, principal, body.name, ctx.now()) };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/admin/groups/:group',
    auth: 'user',
    summary: 'Delete a group without workflows; its memberships go with it (site admin)',
    params: GroupParams,
    status: 204,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params }) {
      const r = await deleteGroup(ctx.db, principal, params.group, ctx.now());
      accessChanged(ctx, r.removedMembers);
      return { status: 204 };
    },
  }),

  // ---- memberships ----
  defineRoute({
    method: 'GET',
    path: '/admin/groups/:group/members',
    auth: 'user',
    summary: 'The members of a group and their roles (group admin or site admin)',
    params: GroupParams,
    response: MemberList,
    errors: [403, 404],
    async handler(ctx, { principal, params }) {
      return { status: 200, body: { group: params.group, members: await listMembers(ctx.db, principal, params.group) } };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/groups/:group/members',
    auth: 'user',
    summary: 'Add a user to a group with a role (group admin or site admin)',
    params: GroupParams,
    body: AddMemberBody,
    status: 201,
    response: MemberInfo,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params, body }) {
      const r = await addMember(ctx.db, principal, params.group, body, ctx.now());
      accessChanged(ctx, [r.userId]);
      return { status: 201, body: r.member };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/admin/groups/:group/members/:username',
    auth: 'user',
    summary: "Change a member's role (group admin or site admin)",
    params: MemberParams,
    body: ChangeMemberBody,
    response: MemberInfo,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params, body }) {
      const r = await changeMemberRole(ctx.db, principal, params.group, params.username, body.role, ctx.now());
      accessChanged(ctx, [r.userId]);
      return { status: 200, body: r.member };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/admin/groups/:group/members/:username',
    auth: 'user',
    summary: 'Remove a member from a group (group admin or site admin)',
    params: MemberParams,
    status: 204,
    errors: [403, 404, 409],
    async handler(ctx, { principal, params }) {
      const r = await removeMember(ctx.db, principal, params.group, params.username, ctx.now());
      accessChanged(ctx, [r.userId]);
      return { status: 204 };
    },
  }),

  // ---- audit ----
  defineRoute({
    method: 'GET',
    path: '/audit',
    auth: 'user',
    summary: 'The audit trail, newest first: who changed or triggered what (site admin: all; group admin: their groups)',
    query: AuditQuery,
    response: AuditList,
    errors: [403],
    async handler(ctx, { principal, query }) {
      return { status: 200, body: { entries: await listAudit(ctx.db, principal, query) } };
    },
  }),
];
