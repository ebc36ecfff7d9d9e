// The roles matrix over real HTTP: viewer (see), operator (also trigger, cancel, rerun), editor
// (also save and delete workflows), admin (also manage members); a user of another group sees
// nothing (404). Every refusal leaves the database as it was; every allowed change leaves its
// audit entry, written in the change's own transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentNudger } from '../lib/server/runs';
import { runRoutes } from './run-routes';
import { call, snapshot, startTestApi, userWithToken, type TestApi } from './testing';

let api: TestApi;
const t: Record<'viewer' | 'operator' | 'editor' | 'admin' | 'outsider', string> = {} as never;
let runId: number;

const WF = 'group: team\njobs:\n  a: { command: "sleep 60" }\n  b: { command: "true", needs: [a] }\n';

beforeAll(async () => {
  api = await startTestApi({ routes: runRoutes(silentNudger) });
  for (const role of ['viewer', 'operator', 'editor', 'admin'] as const) t[role] = await userWithToken(api, role, { groups: { team: role } });
  t.outsider = await userWithToken(api, 'outsider', { groups: { other: 'admin' } });
  const saved = await call(api, 'PUT', '/workflows/etl', { token: t.editor, body: WF });
  expect(saved.status, saved.text).toBe(201);
  const run = await call(api, 'POST', '/workflows/etl/runs', { token: t.operator, body: {} });
  expect(run.status, run.text).toBe(201);
  runId = run.body.id;
});
afterAll(async () => {
  expect(api.logged).toEqual([]);
  await api.close();
});

async function expectRefused(role: keyof typeof t, method: string, path: string, status: number, message: RegExp | string, body?: unknown) {
  const before = await snapshot(api.db);
  const r = await call(api, method, path, { token: t[role], body });
  expect(r.status, `${role} ${method} ${path}: ${r.text}`).toBe(status);
  if (typeof message === 'string') expect(r.body.error.message).toBe(message);
  else expect(r.body.error.message).toMatch(message);
  expect(await snapshot(api.db), `${role} ${method} ${path} changed the database`).toEqual(before);
}

describe('viewer', () => {
  it('sees the workflow, its runs and a run', async () => {
    for (const path of ['/workflows/etl', '/workflows/etl/versions', '/runs?workflow=etl', `/runs/${runId}`, `/runs/${runId}/timeline`]) {
      expect((await call(api, 'GET', path, { token: t.viewer })).status, path).toBe(200);
    }
    expect((await call(api, 'GET', '/auth/me', { token: t.viewer })).body.groups).toEqual([{ name: 'team', role: 'viewer' }]);
  });

  it('cannot trigger, cancel, rerun, save, delete or manage members: 403 naming the role', async () => {
    await expectRefused('viewer', 'POST', '/workflows/etl/runs', 403, "you need the operator role in group 'team' to start its runs; you are a viewer", {});
    await expectRefused('viewer', 'POST', `/runs/${runId}/cancel`, 403, "you need the operator role in group 'team' to cancel its runs; you are a viewer");
    await expectRefused('viewer', 'POST', `/runs/${runId}/rerun`, 403, "you need the operator role in group 'team' to rerun its runs; you are a viewer");
    await expectRefused('viewer', 'PUT', '/workflows/etl', 403, /you need the editor role in group 'team' to save workflows in it/, WF.replace('60', '61'));
    await expectRefused('viewer', 'DELETE', '/workflows/etl', 403, /you need the editor role in group 'team' to delete workflows/);
    await expectRefused('viewer', 'GET', '/admin/groups/team/members', 403, /you need the admin role in group 'team'/);
  });
});

describe('operator', () => {
  it('triggers, cancels and reruns; cannot save or delete', async () => {
    const r = await call(api, 'POST', '/workflows/etl/runs', { token: t.operator, body: {} });
    expect(r.status).toBe(201);
    const cancel = await call(api, 'POST', `/runs/${r.body.id}/cancel`, { token: t.operator });
    expect(cancel.status, cancel.text).toBe(202);
    expect(cancel.body.state).toBe('cancelled');
    const again = await call(api, 'POST', `/runs/${r.body.id}/rerun`, { token: t.operator });
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).not.toBe(r.body.id);
    await expectRefused('operator', 'PUT', '/workflows/etl', 403, /you need the editor role in group 'team' to save workflows in it; you are an operator/, WF.replace('60', '61'));
    await expectRefused('operator', 'DELETE', '/workflows/etl', 403, /you need the editor role in group 'team' to delete workflows; you are an operator/);
    await expectRefused('operator', 'POST', '/admin/groups/team/members', 403, /you need the admin role in group 'team' to add members; you are an operator/, { username: 'viewer', role: 'editor' });
  });
});

describe('editor', () => {
  it('saves and deletes workflows, and may trigger', async () => {
    expect((await call(api, 'PUT', '/workflows/scratch', { token: t.editor, body: 'group: team\njobs: { x: { command: "true" } }\n' })).status).toBe(201);
    expect((await call(api, 'PUT', '/workflows/scratch', { token: t.editor, body: 'group: team\njobs: { y: { command: "true" } }\n' })).body.version).toBe(2);
    expect((await call(api, 'DELETE', '/workflows/scratch', { token: t.editor })).status).toBe(204);
    expect((await call(api, 'POST', '/workflows/etl/runs', { token: t.editor, body: {} })).status).toBe(201);
    await expectRefused('editor', 'GET', '/admin/groups/team/members', 403, "you need the admin role in group 'team' to see its members; you are an editor");
  });
});

describe('admin (of the group)', () => {
  it('manages the group’s members, and does everything an editor does', async () => {
    const list = await call(api, 'GET', '/admin/groups/team/members', { token: t.admin });
    expect(list.status).toBe(200);
    expect(list.body.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`)).toEqual(['admin:admin', 'editor:editor', 'operator:operator', 'viewer:viewer']);
    const add = await call(api, 'POST', '/admin/groups/team/members', { token: t.admin, body: { username: 'outsider', role: 'viewer' } });
    expect(add.status, add.text).toBe(201);
    expect((await call(api, 'GET', '/workflows/etl', { token: t.outsider })).status).toBe(200);
    expect((await call(api, 'DELETE', '/admin/groups/team/members/outsider', { token: t.admin })).status).toBe(204);
    expect((await call(api, 'PUT', '/workflows/etl2', { token: t.admin, body: 'group: team\njobs: { a: { command: "true" } }\n' })).status).toBe(201);
    // Not a site admin: no user management.
    await expectRefused('admin', 'GET', '/admin/users', 403, 'only a site admin may list users');
  });
});

describe('a user of another group', () => {
  it('gets 404 for the workflow, its runs and its group, as if none existed', async () => {
    const notFound: [string, string, string][] = [
      ['GET', '/workflows/etl', "workflow 'etl' not found"],
      ['GET', '/runs?workflow=etl', "workflow 'etl' not found"],
      ['POST', '/workflows/etl/runs', "workflow 'etl' not found"],
      ['GET', `/runs/${runId}`, `run ${runId} not found`],
      ['GET', `/runs/${runId}/timeline`, `run ${runId} not found`],
      ['POST', `/runs/${runId}/cancel`, `run ${runId} not found`],
      ['POST', `/runs/${runId}/rerun`, `run ${runId} not found`],
      ['DELETE', '/workflows/etl', "workflow 'etl' not found"],
      ['GET', '/admin/groups/team/members', "group 'team' not found"],
    ];
    for (const [method, path, message] of notFound) await expectRefused('outsider', method, path, 404, message, method === 'POST' && path.endsWith('/runs') ? {} : undefined);
    expect((await call(api, 'GET', '/runs', { token: t.outsider })).body.runs).toEqual([]);
    expect((await call(api, 'GET', '/workflows', { token: t.outsider })).body.workflows).toEqual([]);
  });
});

describe('the audit trail of these changes', () => {
  it('names who saved, deleted, triggered, cancelled and reran what', async () => {
    const r = await call(api, 'GET', '/audit?limit=1000', { token: t.admin });
    expect(r.status).toBe(200);
    const lines = r.body.entries.map((e: { actor: string; action: string; target: string; workflow: string | null; group: string }) => `${e.actor} ${e.action} ${e.target} ${e.workflow} ${e.group}`).reverse();
    expect(lines).toEqual(
      expect.arrayContaining([
        'editor workflow.saved workflow:etl etl team',
        `operator run.triggered run:${runId} etl team`,
        'editor workflow.saved workflow:scratch scratch team',
        'editor workflow.deleted workflow:scratch scratch team',
        'admin membership.added user:outsider null team',
        'admin membership.removed user:outsider null team',
        'admin workflow.saved workflow:etl2 etl2 team',
      ]),
    );
    const ofEtl = await call(api, 'GET', '/audit?workflow=etl', { token: t.admin });
    const actions = ofEtl.body.entries.map((e: { action: string; actor: string }) => `${e.actor} ${e.action}`).reverse();
    expect(actions).toEqual(['editor workflow.saved', 'operator run.triggered', 'operator run.triggered', 'operator run.cancelled', 'operator run.rerun', 'editor run.triggered']);
    const rerun = ofEtl.body.entries.find((e: { action: string }) => e.action === 'run.rerun');
    expect(rerun.details).toMatchObject({ rerunOf: expect.any(Number), runId: expect.any(Number) });
    expect(rerun.target).toBe(`run:${rerun.details.runId}`);
    // Another group's admin sees none of it.
    const other = await call(api, 'GET', '/audit?limit=1000', { token: t.outsider });
    expect(other.body.entries.filter((e: { group: string }) => e.group === 'team')).toEqual([]);
  });
});
