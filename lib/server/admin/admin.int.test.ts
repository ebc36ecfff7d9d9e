// The admin API over real HTTP and a real SQLite file: users and groups (site admins),
// memberships (group admins), personal tokens, and the audit entries each change leaves. Every
// refusal is a 4xx with a clear message and leaves the database as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestUser, snapshot, startTestApi, userWithToken, type TestApi } from '../../../api/testing';

let api: TestApi;
let root: string;
let grace: string; // admin of group ops
let vic: string; // viewer in ops
const accessChanges: number[][] = [];

async function refusedUnchanged(method: string, path: string, token: string, body: unknown, status: number, message: RegExp | string) {
  const before = await snapshot(api.db);
  const r = await call(api, method, path, { token, body });
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
  if (typeof message === 'string') expect(r.body.error.message).toBe(message);
  else expect(r.body.error.message).toMatch(message);
  expect(await snapshot(api.db)).toEqual(before);
  return r;
}

async function lastAudit(action: string) {
  const row = await api.db.prisma.auditEntry.findFirst({ where: { action }, orderBy: { id: 'desc' } });
  return row && { ...row, details: JSON.parse(row.details) };
}

beforeAll(async () => {
  api = await startTestApi({ onAccessChanged: (ids) => accessChanges.push(ids) });
  root = await userWithToken(api, 'root', { siteAdmin: true });
  grace = await userWithToken(api, 'grace', { groups: { ops: 'admin' } });
  vic = await userWithToken(api, 'vic', { groups: { ops: 'viewer' } });
});
afterAll(async () => {
  expect(api.logged).toEqual([]);
  await api.close();
});

describe('users (site admin)', () => {
  it('creates a user with a password and memberships, who can then get a token', async () => {
    const r = await call(api, 'POST', '/admin/users', { token: root, body: { username: 'nina', password: 'nina-password', email: 'Nina@Example.com', groups: { ops: 'operator' } } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ username: 'nina', email: 'nina@example.com', isSiteAdmin: false, disabled: false, groups: [{ name: 'ops', role: 'operator' }] });
    const t = await call(api, 'POST', '/auth/token', { body: { username: 'nina', password: 'nina-password' } });
    expect(t.status).toBe(201);
    expect(await lastAudit('user.created')).toMatchObject({ actor: 'root', target: 'user:nina', groupName: null, details: { groups: { ops: 'operator' } } });
    expect(await lastAudit('membership.added')).toMatchObject({ actor: 'root', target: 'user:nina', groupName: 'ops', details: { username: 'nina', role: 'operator' } });
    const list = await call(api, 'GET', '/admin/users', { token: root });
    expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(['grace', 'nina', 'root', 'vic']);
  });

  it('refuses a duplicate, a short password, an unknown group and a non-site-admin, changing nothing', async () => {
    await refusedUnchanged('POST', '/admin/users', root, { username: 'nina', password: 'long-enough' }, 409, "user 'nina' already exists");
    await refusedUnchanged('POST', '/admin/users', root, { username: 'olaf', password: 'short' }, 400, /password: at least 8 characters/);
    await refusedUnchanged('POST', '/admin/users', root, { username: 'olaf', password: 'long-enough', groups: { nope: 'viewer' } }, 422, "group 'nope' does not exist; create it first");
    await refusedUnchanged('POST', '/admin/users', root, { username: 'bad name', password: 'long-enough' }, 400, /username: 1–64 letters/);
    await refusedUnchanged('POST', '/admin/users', grace, { username: 'olaf', password: 'long-enough' }, 403, 'only a site admin may create users');
    await refusedUnchanged('GET', '/admin/users', vic, undefined, 403, 'only a site admin may list users');
  });

  it('disables (every credential refused at once) and enables a user', async () => {
    const token = (await call(api, 'POST', '/auth/token', { body: { username: 'nina', password: 'nina-password' } })).body.token;
    accessChanges.length = 0;
    const off = await call(api, 'PATCH', '/admin/users/nina', { token: root, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.body.disabled).toBe(true);
    expect(accessChanges).toEqual([[off.body.id]]);
    expect((await call(api, 'GET', '/auth/me', { token })).body.error.message).toBe("user 'nina' is disabled; ask a site admin to enable it");
    expect((await call(api, 'POST', '/auth/token', { body: { username: 'nina', password: 'nina-password' } })).status).toBe(401);
    expect(await lastAudit('user.disabled')).toMatchObject({ actor: 'root', target: 'user:nina' });
    const on = await call(api, 'PATCH', '/admin/users/nina', { token: root, body: { disabled: false } });
    expect(on.body.disabled).toBe(false);
    expect((await call(api, 'GET', '/auth/me', { token })).status).toBe(200);
    expect(await lastAudit('user.enabled')).toMatchObject({ actor: 'root', target: 'user:nina' });
  });

  it('resets a password: the old one stops working, the new one works', async () => {
    const r = await call(api, 'PATCH', '/admin/users/nina', { token: root, body: { password: 'brand-new-password' } });
    expect(r.status).toBe(200);
    expect((await call(api, 'POST', '/auth/token', { body: { username: 'nina', password: 'nina-password' } })).status).toBe(401);
    expect((await call(api, 'POST', '/auth/token', { body: { username: 'nina', password: 'brand-new-password' } })).status).toBe(201);
    const entry = await lastAudit('user.password-reset');
    expect(entry).toMatchObject({ actor: 'root', target: 'user:nina' });
    expect(JSON.stringify(entry)).not.toContain('brand-new-password');
  });

  it('refuses locking oneself out, unknown users and empty changes', async () => {
    await refusedUnchanged('PATCH', '/admin/users/root', root, { disabled: true }, 409, 'you cannot disable yourself; another site admin can');
    await refusedUnchanged('PATCH', '/admin/users/root', root, { isSiteAdmin: false }, 409, /your own site admin role/);
    await refusedUnchanged('PATCH', '/admin/users/ghost', root, { disabled: true }, 404, "user 'ghost' not found");
    await refusedUnchanged('PATCH', '/admin/users/nina', root, {}, 400, /give at least one of/);
    await refusedUnchanged('PATCH', '/admin/users/nina', grace, { disabled: true }, 403, 'only a site admin may change users');
  });
});

describe('groups (site admin)', () => {
  it('creates, lists and deletes an empty group', async () => {
    const r = await call(api, 'POST', '/admin/groups', { token: root, body: { name: 'data' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'data', members: 0, workflows: 0, role: 'admin' });
    expect(await lastAudit('group.created')).toMatchObject({ actor: 'root', target: 'group:data', groupName: 'data' });
    const all = await call(api, 'GET', '/admin/groups', { token: root });
    expect(all.body.groups.map((g: { name: string }) => g.name)).toEqual(['data', 'ops']);
    // A member sees only their own groups, with their role.
    const mine = await call(api, 'GET', '/admin/groups', { token: vic });
    expect(mine.body.groups).toEqual([expect.objectContaining({ name: 'ops', role: 'viewer', members: 3 })]);
    const del = await call(api, 'DELETE', '/admin/groups/data', { token: root });
    expect(del.status).toBe(204);
    expect(await lastAudit('group.deleted')).toMatchObject({ actor: 'root', target: 'group:data' });
  });

  it('refuses deleting a group with workflows, the default group, and anyone but a site admin', async () => {
    const editor = await userWithToken(api, 'ed', { groups: { ops: 'editor' } });
    expect((await call(api, 'PUT', '/workflows/in-ops', { token: editor, body: 'group: ops\njobs: { a: { command: "true" } }\n' })).status).toBe(201);
    await refusedUnchanged('DELETE', '/admin/groups/ops', root, undefined, 409, "group 'ops' still has 1 workflow; delete or move it first");
    await refusedUnchanged('DELETE', '/admin/groups/default', root, undefined, 409, /cannot be deleted/);
    await refusedUnchanged('DELETE', '/admin/groups/nope', root, undefined, 404, "group 'nope' not found");
    await refusedUnchanged('POST', '/admin/groups', grace, { name: 'mine' }, 403, 'only a site admin may create groups');
    await refusedUnchanged('POST', '/admin/groups', root, { name: 'ops' }, 409, "group 'ops' already exists");
    await refusedUnchanged('DELETE', '/admin/groups/ops', grace, undefined, 403, 'only a site admin may delete groups');
  });
});

describe('memberships (group admin or site admin)', () => {
  it('a group admin lists, adds, changes and removes members of their group', async () => {
    await createTestUser(api.db, 'pat');
    accessChanges.length = 0;
    const add = await call(api, 'POST', '/admin/groups/ops/members', { token: grace, body: { username: 'pat', role: 'viewer' } });
    expect(add.status, add.text).toBe(201);
    expect(add.body).toEqual({ username: 'pat', role: 'viewer', disabled: false });
    expect(await lastAudit('membership.added')).toMatchObject({ actor: 'grace', target: 'user:pat', groupName: 'ops', details: { username: 'pat', role: 'viewer' } });
    const change = await call(api, 'PATCH', '/admin/groups/ops/members/pat', { token: grace, body: { role: 'operator' } });
    expect(change.body.role).toBe('operator');
    expect(await lastAudit('membership.changed')).toMatchObject({ actor: 'grace', details: { username: 'pat', from: 'viewer', to: 'operator' } });
    const list = await call(api, 'GET', '/admin/groups/ops/members', { token: grace });
    expect(list.body.members.find((m: { username: string }) => m.username === 'pat')).toEqual({ username: 'pat', role: 'operator', disabled: false });
    const rm = await call(api, 'DELETE', '/admin/groups/ops/members/pat', { token: grace });
    expect(rm.status).toBe(204);
    expect(await lastAudit('membership.removed')).toMatchObject({ actor: 'grace', details: { username: 'pat', role: 'operator' } });
    expect(accessChanges).toHaveLength(3);
  });

  it('a member below admin gets 403, a non-member 404, and nothing changes', async () => {
    const outsider = await userWithToken(api, 'otto', { groups: { elsewhere: 'admin' } });
    await refusedUnchanged('GET', '/admin/groups/ops/members', vic, undefined, 403, "you need the admin role in group 'ops' to see its members; you are a viewer");
    await refusedUnchanged('POST', '/admin/groups/ops/members', vic, { username: 'pat', role: 'admin' }, 403, /you need the admin role in group 'ops' to add members/);
    await refusedUnchanged('POST', '/admin/groups/ops/members', outsider, { username: 'pat', role: 'admin' }, 404, "group 'ops' not found");
    await refusedUnchanged('PATCH', '/admin/groups/ops/members/vic', outsider, { role: 'admin' }, 404, "group 'ops' not found");
    await refusedUnchanged('POST', '/admin/groups/ops/members', grace, { username: 'vic', role: 'editor' }, 409, /already a member of group 'ops' \(viewer\)/);
    await refusedUnchanged('POST', '/admin/groups/ops/members', grace, { username: 'ghost', role: 'editor' }, 404, "user 'ghost' not found");
    await refusedUnchanged('DELETE', '/admin/groups/ops/members/otto', grace, undefined, 404, "'otto' is not a member of group 'ops'");
    await refusedUnchanged('POST', '/admin/groups/ops/members', grace, { username: 'pat', role: 'owner' }, 400, /role/);
  });

  it('a group admin cannot leave the group without an admin; a site admin can', async () => {
    await refusedUnchanged('PATCH', '/admin/groups/ops/members/grace', grace, { role: 'editor' }, 409, "'grace' is the last admin of group 'ops'; make another member admin first");
    await refusedUnchanged('DELETE', '/admin/groups/ops/members/grace', grace, undefined, 409, /last admin/);
    expect((await call(api, 'POST', '/admin/groups/ops/members', { token: root, body: { username: 'pat', role: 'admin' } })).status).toBe(201);
    expect((await call(api, 'PATCH', '/admin/groups/ops/members/grace', { token: grace, body: { role: 'editor' } })).status).toBe(200);
    // grace is an editor now: no more member management.
    expect((await call(api, 'GET', '/admin/groups/ops/members', { token: grace })).status).toBe(403);
  });
});

describe('personal API tokens', () => {
  it('creates one (shown once), lists it without its secret, revokes it', async () => {
    const made = await call(api, 'POST', '/auth/tokens', { token: vic, body: { name: 'laptop CLI', expiresInDays: 7 } });
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ name: 'laptop CLI', state: 'active', revokedAt: null, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(Date.parse(made.body.expiresAt) - Date.parse(made.body.createdAt)).toBe(7 * 86_400_000);
    expect((await call(api, 'GET', '/auth/me', { token: made.body.token })).body.username).toBe('vic');
    expect(await lastAudit('token.created')).toMatchObject({ actor: 'vic', target: `token:${made.body.id}`, details: { name: 'laptop CLI' } });

    const list = await call(api, 'GET', '/auth/tokens', { token: vic });
    expect(list.status).toBe(200);
    expect(list.body.tokens[0]).toMatchObject({ id: made.body.id, name: 'laptop CLI', state: 'active' });
    expect(list.text).not.toContain(made.body.token);
    expect(list.body.tokens.every((t: object) => !('token' in t))).toBe(true);

    const del = await call(api, 'DELETE', `/auth/tokens/${made.body.id}`, { token: vic });
    expect(del.status).toBe(204);
    const after = await call(api, 'GET', '/auth/me', { token: made.body.token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('revoked_token');
    expect((await call(api, 'GET', '/auth/tokens', { token: vic })).body.tokens[0]).toMatchObject({ id: made.body.id, state: 'revoked' });
    expect(await lastAudit('token.revoked')).toMatchObject({ actor: 'vic', target: `token:${made.body.id}` });
  });

  it("refuses another user's token (as not found) and bad input, changing nothing", async () => {
    const mine = (await call(api, 'POST', '/auth/tokens', { token: vic, body: { name: 'keep' } })).body;
    expect(Date.parse(mine.expiresAt) - Date.parse(mine.createdAt)).toBe(30 * 86_400_000);
    await refusedUnchanged('DELETE', `/auth/tokens/${mine.id}`, grace, undefined, 404, `token ${mine.id} not found among your tokens`);
    await refusedUnchanged('POST', '/auth/tokens', vic, { name: '' }, 400, /name/);
    await refusedUnchanged('POST', '/auth/tokens', vic, { name: 'x', expiresInDays: 0 }, 400, /expiresInDays/);
    await refusedUnchanged('POST', '/auth/tokens', vic, { name: 'x', scope: 'all' }, 400, /scope/);
    expect((await call(api, 'GET', '/auth/tokens')).status).toBe(401);
  });
});

describe('GET /audit', () => {
  it('a site admin sees everything; a group admin their groups’ entries only; others are refused', async () => {
    const all = await call(api, 'GET', '/audit?limit=1000', { token: root });
    expect(all.status).toBe(200);
    const actions = new Set(all.body.entries.map((e: { action: string }) => e.action));
    for (const a of ['user.created', 'user.disabled', 'user.enabled', 'user.password-reset', 'group.created', 'group.deleted', 'membership.added', 'membership.changed', 'membership.removed', 'token.created', 'token.revoked', 'workflow.saved']) {
      expect(actions, a).toContain(a);
    }
    const ids = all.body.entries.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    // pat is admin of ops now: ops' entries only (no user or token entries).
    const pat = (await call(api, 'POST', '/auth/token', { body: { username: 'pat', password: 'password' } })).body.token;
    const theirs = await call(api, 'GET', '/audit?limit=1000', { token: pat });
    expect(theirs.status).toBe(200);
    expect(theirs.body.entries.length).toBeGreaterThan(0);
    expect(theirs.body.entries.every((e: { group: string }) => e.group === 'ops')).toBe(true);

    const wf = await call(api, 'GET', '/audit?workflow=in-ops', { token: pat });
    expect(wf.body.entries).toEqual([expect.objectContaining({ action: 'workflow.saved', actor: 'ed', target: 'workflow:in-ops', workflow: 'in-ops', details: { version: 1, created: true } })]);

    const refused = await call(api, 'GET', '/audit', { token: vic });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/site admins and group admins/);
  });
});
