// Saving, reading, versioning and deleting workflows over real HTTP, on SQLite and PostgreSQL.
// The table of refused saves checks each answer says what to fix and the database is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTx } from '../lib/server/db/write';
import { call, snapshot, startTestApi, userWithToken, type TestApi } from './testing';

const HOUR = 3600_000;
const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

interface Refusal {
  what: string;
  path?: string;
  body: string | Buffer;
  contentType?: string;
  status: number;
  code?: string;
  message: RegExp;
  /** The path of the first problem in details, when the answer has problems. */
  at?: string;
}

const REFUSALS: Refusal[] = [
  {
    what: 'an unknown key, naming it',
    body: yaml('jobs:', '  a: { command: "true", comand: "x" }'),
    status: 422,
    code: 'invalid_definition',
    message: /^jobs\.a\.comand: unknown key 'comand' in job 'a'; allowed: command, workflow/,
    at: 'jobs.a.comand',
  },
  { what: 'an unknown top-level key', body: yaml('jobz: {}', 'jobs: {}'), status: 422, message: /unknown key 'jobz' at top level/, at: 'jobz' },
  { what: 'an unknown job in needs', body: yaml('jobs:', '  a: { command: "true", needs: [b] }'), status: 422, message: /unknown job 'b'; jobs are a/, at: 'jobs.a.needs' },
  { what: 'a self-dependency', body: yaml('jobs:', '  a: { command: "true", needs: a }'), status: 422, message: /job 'a' cannot need itself/ },
  {
    what: 'a cycle, naming it',
    body: yaml('jobs:', '  a: { command: "true", needs: [c] }', '  b: { command: "true", needs: [a] }', '  c: { command: "true", needs: [b] }'),
    status: 422,
    message: /^jobs\.a\.needs: cycle in needs: a → c → b → a; remove one of these needs$/,
  },
  { what: 'both command and workflow', body: yaml('jobs:', '  a: { command: "true", workflow: leaf }'), status: 422, message: /job 'a' has both command and workflow; keep exactly one/ },
  { what: 'neither command nor workflow', body: yaml('jobs:', '  a: { needs: [] }'), status: 422, message: /job 'a' needs exactly one of command .* or workflow/ },
  { what: 'an invalid cron', body: yaml('schedule: { cron: "61 * * * *" }', 'jobs: {}'), status: 422, message: /^schedule\.cron: minute field '61'.*0-59/, at: 'schedule.cron' },
  { what: 'a cron of 6 fields', body: yaml('schedule: { cron: "0 0 * * * *" }', 'jobs: {}'), status: 422, message: /expected 5 fields.*got 6 fields/ },
  {
    what: 'an unknown time zone',
    body: yaml('schedule: { cron: "0 2 * * *", timezone: Mars/Olympus }', 'jobs: {}'),
    status: 422,
    message: /unknown time zone "Mars\/Olympus": use an IANA name/,
    at: 'schedule.timezone',
  },
  { what: 'a cron that never fires', body: yaml('schedule: { cron: "0 0 30 2 *" }', 'jobs: {}'), status: 422, message: /can never fire: day-of-month '30' never occurs in February/ },
  {
    what: 'an unsaved nested workflow, naming it',
    body: yaml('jobs:', '  report: { workflow: reporting }'),
    status: 422,
    code: 'unsaved_workflow',
    message: /workflow 'reporting' \(nested by job 'report'\) is not saved; save 'reporting' first/,
    at: 'jobs.report.workflow',
  },
  {
    what: 'a containment cycle, with its path',
    path: 'leaf',
    body: yaml('jobs:', '  up: { workflow: top }'),
    status: 422,
    code: 'containment_cycle',
    message: /containment cycle: leaf → top → middle → leaf/,
    at: 'jobs.up.workflow',
  },
  { what: 'nesting itself', path: 'leaf', body: yaml('jobs:', '  me: { workflow: leaf }'), status: 422, message: /workflow 'leaf' cannot nest itself/ },
  { what: 'a name that differs from the path', body: yaml('name: other', 'jobs: {}'), status: 422, message: /name 'other' in the body must equal 'wf' in the path/, at: 'name' },
  { what: 'a name that is not valid', path: '-bad', body: yaml('jobs: {}'), status: 422, message: /name '-bad' is not valid/ },
  { what: 'an unknown group, naming it', body: yaml('group: nosuch', 'jobs: {}'), status: 422, code: 'unknown_group', message: /group 'nosuch' does not exist/ },
  { what: 'an empty definition', body: '# nothing\n', status: 422, message: /the definition is empty/ },
  { what: 'a definition that is a list', body: '[1, 2]\n', status: 422, message: /must be a mapping/ },
  { what: 'malformed YAML', body: yaml('jobs:', '  a: [1, 2', 'b: 3'), status: 400, code: 'invalid_body', message: /^the body is not valid YAML: YAML syntax error at line \d+, column \d+/ },
  { what: 'duplicate YAML keys', body: yaml('jobs:', '  a: { command: x }', '  a: { command: y }'), status: 400, message: /not valid YAML: duplicate key 'a' at line 3, column 3/ },
  {
    what: 'malformed JSON',
    body: '{"jobs": {"a": {"command": "x"},}}',
    contentType: 'application/json',
    status: 400,
    code: 'invalid_body',
    message: /^the body is not valid JSON: JSON syntax error at line 1, column 33: expected a property name in double quotes/,
  },
  {
    what: 'duplicate JSON keys',
    body: '{\n  "jobs": {\n    "a": {"command": "x"},\n    "a": {"command": "y"}\n  }\n}',
    contentType: 'application/json; charset=utf-8',
    status: 400,
    message: /not valid JSON: duplicate key 'a' at line 4, column 5.*\(at jobs\.a\)/,
  },
  { what: 'a wrong content type', body: 'jobs: {}\n', contentType: 'text/plain', status: 415, code: 'unsupported_media_type', message: /Content-Type text\/plain is not accepted here; send it as application\/yaml, application\/x-yaml, text\/yaml, application\/json/ },
  { what: 'a form post', body: 'jobs=1', contentType: 'application/x-www-form-urlencoded', status: 415, message: /not accepted here/ },
  { what: 'a body that is too large', body: `jobs: {}\n# ${'x'.repeat(1024 * 1024)}\n`, status: 413, code: 'payload_too_large', message: /larger than 1 MiB/ },
  { what: 'a body that is not UTF-8', body: Buffer.from([0x6a, 0x6f, 0x62, 0x73, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), status: 400, message: /not valid UTF-8/ },
];

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`workflows (${provider})`, () => {
    let api: TestApi;
    let editor: string;

    beforeAll(async () => {
      api = await startTestApi({ provider });
      editor = await userWithToken(api, 'erin', { groups: { default: 'editor', ops: 'editor' } });
    });
    afterAll(async () => {
      expect(api.logged).toEqual([]);
      await api.close();
    });

    describe('refused saves: a 4xx that says what to fix, and nothing written', () => {
      beforeAll(async () => {
        // leaf ← middle ← top: saving leaf to nest top would close a cycle.
        expect((await call(api, 'PUT', '/workflows/leaf', { token: editor, body: yaml('jobs:', '  a: { command: "true" }') })).status).toBe(201);
        expect((await call(api, 'PUT', '/workflows/middle', { token: editor, body: yaml('jobs:', '  l: { workflow: leaf }') })).status).toBe(201);
        expect((await call(api, 'PUT', '/workflows/top', { token: editor, body: yaml('jobs:', '  m: { workflow: middle }') })).status).toBe(201);
        // An existing workflow, so refusals also prove no new version is made.
        expect((await call(api, 'PUT', '/workflows/wf', { token: editor, body: yaml('jobs:', '  a: { command: "true" }') })).status).toBe(201);
      });

      it.each(REFUSALS.map((r) => [r.what, r] as const))('%s', async (_, r) => {
        const before = await snapshot(api.db);
        const res = await call(api, 'PUT', `/workflows/${r.path ?? 'wf'}`, { token: editor, body: r.body, contentType: r.contentType ?? 'application/yaml' });
        expect(res.status).toBe(r.status);
        expect(res.body.error.message).toMatch(r.message);
        if (r.code) expect(res.body.error.code).toBe(r.code);
        if (r.at) expect(res.body.error.details[0].path).toBe(r.at);
        expect(await snapshot(api.db)).toEqual(before);
      });

      it('reports every problem of a definition at once', async () => {
        const res = await call(api, 'PUT', '/workflows/wf', { token: editor, body: yaml('jobs:', '  a: { command: "true", needs: [x], retries: -1 }', '  b: {}') });
        expect(res.status).toBe(422);
        expect(res.body.error.details.map((p: { path: string }) => p.path)).toEqual(['jobs.a.needs', 'jobs.a.retries', 'jobs.b']);
        expect(res.body.error.message).toMatch(/\(and 2 more problems, in details\)$/);
      });
    });

    describe('versions', () => {
      it('creates (201), keeps an unchanged save at its version (200), and versions every change', async () => {
        const v1 = yaml(
          'description: nightly',
          'schedule: { cron: "30 2 * * *", timezone: Europe/London }',
          'jobs:',
          '  extract: { command: "./extract.sh", timeout: 10m }',
          '  load: { command: "./load.sh", needs: extract }',
        );
        const created = await call(api, 'PUT', '/workflows/etl', { token: editor, body: v1 });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ name: 'etl', group: 'default', version: 1 });

        // The same definition as JSON, differently written: no new version.
        const json = {
          name: 'etl',
          group: 'default',
          description: 'nightly',
          schedule: { cron: '30 2 * * *', timezone: 'Europe/London', catchup: 'latest' },
          jobs: { extract: { command: './extract.sh', timeout: 600 }, load: { command: './load.sh', needs: ['extract'], retries: 0 } },
        };
        api.clock.now += HOUR;
        const same = await call(api, 'PUT', '/workflows/etl', { token: editor, body: json });
        expect(same.status).toBe(200);
        expect(same.body.version).toBe(1);

        const changed = await call(api, 'PUT', '/workflows/etl', { token: editor, body: { ...json, jobs: { ...json.jobs, report: { command: 'make report', needs: ['load'] } } } });
        expect(changed.status).toBe(200);
        expect(changed.body).toEqual({ name: 'etl', group: 'default', version: 2 });

        const versions = await call(api, 'GET', '/workflows/etl/versions', { token: editor });
        expect(versions.body).toEqual({
          name: 'etl',
          currentVersion: 2,
          versions: [
            { version: 2, createdAt: new Date(api.clock.now).toISOString(), createdBy: 'erin' },
            { version: 1, createdAt: new Date(api.clock.now - HOUR).toISOString(), createdBy: 'erin' },
          ],
        });

        const got = await call(api, 'GET', '/workflows/etl', { token: editor });
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ name: 'etl', group: 'default', version: 2, currentVersion: 2, versionCreatedBy: 'erin' });
        expect(got.body.definition).toEqual({
          name: 'etl',
          description: 'nightly',
          group: 'default',
          schedule: { cron: '30 2 * * *', timezone: 'Europe/London', catchup: 'latest', catchupLimit: 100, overlap: 'skip', enabled: true },
          jobs: { extract: { command: './extract.sh', timeout: '10m' }, load: { command: './load.sh', needs: ['extract'] }, report: { command: 'make report', needs: ['load'] } },
        });
        // 2026-06-01 is summer time in London: 02:30 BST is 01:30Z.
        expect(got.body.nextFireTimes).toHaveLength(5);
        expect(got.body.nextFireTimes[0]).toEqual({ utc: '2026-06-02T01:30:00Z', local: '2026-06-02T02:30:00+01:00' });

        const old = await call(api, 'GET', '/workflows/etl?version=1', { token: editor });
        expect(Object.keys(old.body.definition.jobs)).toEqual(['extract', 'load']);
        expect((await call(api, 'GET', '/workflows/etl?version=3', { token: editor })).body.error.message).toBe("workflow 'etl' has no version 3; its versions are 1 to 2");

        // Job and JobNeed rows of the new version.
        const jobs = await api.db.prisma.job.findMany({
          where: { version: { version: 2, workflow: { name: 'etl' } } },
          orderBy: { name: 'asc' },
          select: { name: true, command: true, childWorkflow: true, needs: { select: { needs: true } } },
        });
        expect(jobs).toEqual([
          { name: 'extract', command: './extract.sh', childWorkflow: null, needs: [] },
          { name: 'load', command: './load.sh', childWorkflow: null, needs: [{ needs: 'extract' }] },
          { name: 'report', command: 'make report', childWorkflow: null, needs: [{ needs: 'load' }] },
        ]);
      });

      it('keeps the schedule row in step: counts from the save, keeps its next fire time on policy changes', async () => {
        const base = (schedule: string) => yaml(`schedule: ${schedule}`, 'jobs:', '  a: { command: "true" }');
        const row = () => api.db.prisma.schedule.findFirst({ where: { workflow: { name: 'sched' } } });
        const t0 = api.clock.now;

        expect((await call(api, 'PUT', '/workflows/sched', { token: editor, body: base('{ cron: "0 * * * *" }') })).status).toBe(201);
        let s = await row();
        expect(s).toMatchObject({ cron: '0 * * * *', timezone: 'UTC', catchup: 'latest', catchupLimit: 100, overlap: 'skip', enabled: true });
        expect(s!.countFrom.getTime()).toBe(t0);
        expect(s!.nextFireAt!.getTime()).toBe(t0 + HOUR); // t0 is on the hour; the next fire is strictly after it

        api.clock.now += 90 * 60_000;
        await call(api, 'PUT', '/workflows/sched', { token: editor, body: base('{ cron: "0 * * * *", overlap: allow }') });
        s = await row();
        expect(s).toMatchObject({ overlap: 'allow' });
        expect(s!.countFrom.getTime()).toBe(t0);
        expect(s!.nextFireAt!.getTime()).toBe(t0 + HOUR);

        await call(api, 'PUT', '/workflows/sched', { token: editor, body: base('{ cron: "0 * * * *", overlap: allow, enabled: false }') });
        s = await row();
        expect(s).toMatchObject({ enabled: false, nextFireAt: null });
        expect((await call(api, 'GET', '/workflows/sched', { token: editor })).body.nextFireTimes).toEqual([]);

        api.clock.now += 5 * HOUR;
        await call(api, 'PUT', '/workflows/sched', { token: editor, body: base('{ cron: "0 * * * *", overlap: allow }') });
        s = await row();
        expect(s!.enabled).toBe(true);
        expect(s!.countFrom.getTime()).toBe(api.clock.now);
        expect(s!.nextFireAt!.getTime()).toBe(t0 + 7 * HOUR);

        api.clock.now += 10 * 60_000;
        await call(api, 'PUT', '/workflows/sched', { token: editor, body: base('{ cron: "*/15 * * * *", overlap: allow }') });
        s = await row();
        expect(s!.countFrom.getTime()).toBe(api.clock.now);
        expect(s!.nextFireAt!.getTime()).toBe(api.clock.now + 5 * 60_000);

        await call(api, 'PUT', '/workflows/sched', { token: editor, body: yaml('jobs:', '  a: { command: "true" }') });
        expect(await row()).toBeNull();
        expect((await call(api, 'GET', '/workflows/sched', { token: editor })).body.schedule).toBeNull();
      });

      it('moves a workflow to another group when the caller is an editor in both', async () => {
        await call(api, 'PUT', '/workflows/mover', { token: editor, body: yaml('jobs: {}') });
        const moved = await call(api, 'PUT', '/workflows/mover', { token: editor, body: yaml('group: ops', 'jobs: {}') });
        expect(moved.body).toEqual({ name: 'mover', group: 'ops', version: 2 });
      });
    });

    describe('list and delete', () => {
      it('lists with schedule and last run', async () => {
        const wf = await api.db.prisma.workflow.findUniqueOrThrow({ where: { name: 'etl' }, include: { versions: true } });
        await writeTx(api.db, (tx) =>
          tx.run.create({
            data: { workflowId: wf.id, versionId: wf.versions[0].id, state: 'success', trigger: 'manual', nominalTime: new Date(api.clock.now), createdAt: new Date(api.clock.now), endedAt: new Date(api.clock.now) },
          }),
        );
        const list = await call(api, 'GET', '/workflows', { token: editor });
        const etl = list.body.workflows.find((w: { name: string }) => w.name === 'etl');
        expect(etl).toMatchObject({ group: 'default', description: 'nightly', version: 2, schedule: { cron: '30 2 * * *', timezone: 'Europe/London', enabled: true }, lastRun: { state: 'success' } });
        expect((await call(api, 'GET', '/workflows?group=ops', { token: editor })).body.workflows.map((w: { name: string }) => w.name)).toEqual(['mover']);
      });

      it('refuses to delete a nested workflow (409 naming the nesters), then deletes in order with the runs', async () => {
        const before = await snapshot(api.db);
        const r = await call(api, 'DELETE', '/workflows/leaf', { token: editor });
        expect(r.status).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'workflow_nested', message: expect.stringContaining("workflow 'leaf' is nested by 'middle'"), details: { nestedBy: ['middle'] } });
        expect(await snapshot(api.db)).toEqual(before);

        expect((await call(api, 'DELETE', '/workflows/top', { token: editor })).status).toBe(204);
        expect((await call(api, 'DELETE', '/workflows/middle', { token: editor })).status).toBe(204);
        expect((await call(api, 'DELETE', '/workflows/leaf', { token: editor })).status).toBe(204);
        expect((await call(api, 'GET', '/workflows/leaf', { token: editor })).status).toBe(404);

        const etlId = (await api.db.prisma.workflow.findUniqueOrThrow({ where: { name: 'etl' } })).id;
        expect((await call(api, 'DELETE', '/workflows/etl', { token: editor })).status).toBe(204);
        expect(await api.db.prisma.run.count({ where: { workflowId: etlId } })).toBe(0);
        expect(await api.db.prisma.workflowVersion.count({ where: { workflowId: etlId } })).toBe(0);
        expect(await api.db.prisma.job.count({ where: { version: { workflowId: etlId } } })).toBe(0);
        expect((await call(api, 'DELETE', '/workflows/etl', { token: editor })).status).toBe(404);
      });

      it('refuses to delete a workflow with a run in progress', async () => {
        await call(api, 'PUT', '/workflows/busy', { token: editor, body: yaml('jobs:', '  a: { command: "sleep 1" }') });
        const wf = await api.db.prisma.workflow.findUniqueOrThrow({ where: { name: 'busy' }, include: { versions: true } });
        await writeTx(api.db, (tx) =>
          tx.run.create({ data: { workflowId: wf.id, versionId: wf.versions[0].id, state: 'executing', trigger: 'manual', nominalTime: new Date(api.clock.now) } }),
        );
        const r = await call(api, 'DELETE', '/workflows/busy', { token: editor });
        expect(r.status).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'workflow_busy', message: "workflow 'busy' has 1 run in progress; cancel it (or wait for it to end) first" });
      });
    });
  });
}
