import { describe, expect, it } from 'vitest';
import type { WorkflowSpec } from '../types';
import { parseDefinitionText, validateDefinition } from './index';

type Raw = Record<string, any>;

/** A valid definition; each case below breaks exactly one thing in a fresh copy. */
function base(): Raw {
  return {
    name: 'wf',
    jobs: {
      a: { command: 'echo a' },
      b: { command: 'echo b', needs: ['a'] },
    },
  };
}

function problemsOf(raw: unknown, opts?: { name?: string }) {
  const r = validateDefinition(raw, opts);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

function specOf(raw: unknown, opts?: { name?: string }): WorkflowSpec {
  const r = validateDefinition(raw, opts);
  if (!r.ok) throw new Error(`expected a spec, got ${JSON.stringify(r.problems, null, 2)}`);
  return r.value;
}

const longName = (n: number) => 'x'.repeat(n);

// [what is wrong, how to break the base definition, exact path, fragment of the message]
const INVALID: [string, (d: Raw) => unknown, string, string][] = [
  // top level
  ['unknown top-level key', (d) => ({ ...d, foo: 1 }), 'foo', "unknown key 'foo' at top level; allowed: name, description, group, params, timeout, notify, schedule, jobs"],
  ['misspelt key', (d) => ({ ...d, shedule: {} }), 'shedule', "unknown key 'shedule' at top level"],
  ['name starting with a dash', (d) => ({ ...d, name: '-wf' }), 'name', "name '-wf' is not valid: use 1 to 100 letters"],
  ['name with a space', (d) => ({ ...d, name: 'my wf' }), 'name', 'is not valid'],
  ['name with a slash', (d) => ({ ...d, name: 'a/b' }), 'name', 'is not valid'],
  ['name of 101 characters', (d) => ({ ...d, name: longName(101) }), 'name', 'is not valid'],
  ['empty name', (d) => ({ ...d, name: '' }), 'name', 'is not valid'],
  ['name not a string', (d) => ({ ...d, name: 42 }), 'name', 'name must be a string'],
  ['name missing', ({ name: _, ...d }) => d, 'name', 'name is required'],
  ['description not a string', (d) => ({ ...d, description: ['x'] }), 'description', 'description must be a string; got a list'],
  ['group with a space', (d) => ({ ...d, group: 'ops team' }), 'group', "group 'ops team' is not valid"],
  ['group not a string', (d) => ({ ...d, group: 7 }), 'group', 'group must be a string'],
  ['workflow timeout not a duration', (d) => ({ ...d, timeout: '10 minutes' }), 'timeout', "timeout must be a duration such as '30s'"],
  ['workflow timeout zero', (d) => ({ ...d, timeout: 0 }), 'timeout', 'timeout must be greater than 0'],
  ['workflow timeout negative', (d) => ({ ...d, timeout: -5 }), 'timeout', 'timeout must be a duration'],
  // params
  ['params a list', (d) => ({ ...d, params: ['DAY'] }), 'params', 'params must be a mapping of NAME'],
  ['param name starting with a digit', (d) => ({ ...d, params: { '1DAY': {} } }), 'params.1DAY', "param name '1DAY' is not valid: use letters, digits and '_'"],
  ['param name with a dash', (d) => ({ ...d, params: { 'MY-DAY': {} } }), 'params.MY-DAY', 'is not valid'],
  ['param PATH', (d) => ({ ...d, params: { PATH: {} } }), 'params.PATH', "param name 'PATH' is reserved"],
  ['param HOME', (d) => ({ ...d, params: { HOME: {} } }), 'params.HOME', 'is reserved'],
  ['param SHELL', (d) => ({ ...d, params: { SHELL: {} } }), 'params.SHELL', 'is reserved'],
  ['param LD_PRELOAD', (d) => ({ ...d, params: { LD_PRELOAD: {} } }), 'params.LD_PRELOAD', 'is reserved'],
  ['param COURSE_RUN_ID', (d) => ({ ...d, params: { COURSE_RUN_ID: {} } }), 'params.COURSE_RUN_ID', 'is reserved'],
  ['param __proto__', (d) => ({ ...d, params: JSON.parse('{"__proto__": {}}') }), 'params.__proto__', 'is reserved'],
  ['param a string', (d) => ({ ...d, params: { DAY: 'today' } }), 'params.DAY', "param 'DAY' must be a mapping { default?, description? }"],
  ['param unknown key', (d) => ({ ...d, params: { DAY: { type: 'date' } } }), 'params.DAY.type', "unknown key 'type' in param 'DAY'; allowed: default, description"],
  ['param default a list', (d) => ({ ...d, params: { DAY: { default: ['mon'] } } }), 'params.DAY.default', 'default must be text'],
  ['param description a number', (d) => ({ ...d, params: { DAY: { description: 5 } } }), 'params.DAY.description', 'description must be a string'],
  // jobs
  ['jobs missing', ({ jobs: _, ...d }) => d, 'jobs', 'jobs is required'],
  ['jobs null', (d) => ({ ...d, jobs: null }), 'jobs', 'jobs: {}'],
  ['jobs a list', (d) => ({ ...d, jobs: [{ command: 'x' }] }), 'jobs', 'jobs must be a mapping of job names to jobs'],
  ['job name with a space', (d) => ({ ...d, jobs: { 'my job': { command: 'x' } } }), 'jobs.my job', "job name 'my job' is not valid: use 1 to 64 letters, digits, '_' or '-'"],
  ['job name with a dot', (d) => ({ ...d, jobs: { 'a.b': { command: 'x' } } }), 'jobs.a.b', 'is not valid'],
  ['job name of 65 characters', (d) => ({ ...d, jobs: { [longName(65)]: { command: 'x' } } }), `jobs.${longName(65)}`, 'is not valid'],
  ['job named __proto__', (d) => ({ ...d, jobs: JSON.parse('{"__proto__": {"command": "x"}}') }), 'jobs.__proto__', "job name '__proto__' is reserved"],
  ['job a string', (d) => ({ ...d, jobs: { ...d.jobs, c: 'echo c' } }), 'jobs.c', "job 'c' must be a mapping with a command or a workflow"],
  ['job unknown key', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', image: 'alpine' } } }), 'jobs.c.image', "unknown key 'image' in job 'c'; allowed: command, workflow, needs, env, workdir, runsOn, retries, retryDelay, timeout, killGrace, notify"],
  ['job with neither command nor workflow', (d) => ({ ...d, jobs: { ...d.jobs, c: { needs: ['a'] } } }), 'jobs.c', "job 'c' needs exactly one of command (a shell command) or workflow"],
  ['job with both command and workflow', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', workflow: 'other' } } }), 'jobs.c', "job 'c' has both command and workflow; keep exactly one"],
  ['empty command', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: '' } } }), 'jobs.c.command', 'command must not be empty'],
  ['blank command', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: '   ' } } }), 'jobs.c.command', 'command must not be empty'],
  ['command a list', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: ['make', 'test'] } } }), 'jobs.c.command', 'command must be a string; got a list'],
  ['workflow nesting itself', (d) => ({ ...d, jobs: { ...d.jobs, c: { workflow: 'wf' } } }), 'jobs.c.workflow', "workflow 'wf' cannot nest itself"],
  ['workflow not a valid name', (d) => ({ ...d, jobs: { ...d.jobs, c: { workflow: 'no such/flow' } } }), 'jobs.c.workflow', "workflow must be the name of a saved workflow"],
  ['needs an unknown job', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: ['a', 'x'] } } }), 'jobs.c.needs', "unknown job 'x'; jobs are a, b, c"],
  ['needs an unknown job, as a string', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: 'z' } } }), 'jobs.c.needs', "unknown job 'z'; jobs are a, b, c"],
  ['needs itself', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: ['c'] } } }), 'jobs.c.needs', "job 'c' cannot need itself"],
  ['needs a job twice', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: ['a', 'b', 'a'] } } }), 'jobs.c.needs', "job 'a' is listed twice in needs; list it once"],
  ['needs a mapping', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: { a: true } } } }), 'jobs.c.needs', 'needs must be a job name or a list of job names'],
  ['needs with a number in it', (d) => ({ ...d, jobs: { ...d.jobs, c: { command: 'x', needs: ['a', 3] } } }), 'jobs.c.needs.1', 'needs must list job names; got 3'],
  ['a cycle of two', (d) => ({ ...d, jobs: { a: { command: 'x', needs: ['b'] }, b: { command: 'y', needs: ['a'] } } }), 'jobs.a.needs', 'cycle in needs: a → b → a'],
  [
    'a cycle of three behind a good job',
    (d) => ({ ...d, jobs: { s: { command: 'x' }, a: { command: 'x', needs: ['s', 'c'] }, b: { command: 'y', needs: 'a' }, c: { command: 'z', needs: ['b'] } } }),
    'jobs.a.needs',
    'cycle in needs: a → c → b → a',
  ],
  ['env a list', (d) => ({ ...d, jobs: { c: { command: 'x', env: ['A=1'] } } }), 'jobs.c.env', 'env must be a mapping of NAME: value'],
  ['env name with a dash', (d) => ({ ...d, jobs: { c: { command: 'x', env: { 'MY-VAR': '1' } } } }), 'jobs.c.env.MY-VAR', "env name 'MY-VAR' is not valid"],
  ['env LD_LIBRARY_PATH', (d) => ({ ...d, jobs: { c: { command: 'x', env: { LD_LIBRARY_PATH: '/x' } } } }), 'jobs.c.env.LD_LIBRARY_PATH', "env name 'LD_LIBRARY_PATH' is reserved"],
  ['env COURSE_JOB', (d) => ({ ...d, jobs: { c: { command: 'x', env: { COURSE_JOB: 'y' } } } }), 'jobs.c.env.COURSE_JOB', 'is reserved'],
  ['env PATH', (d) => ({ ...d, jobs: { c: { command: 'x', env: { PATH: '/bin' } } } }), 'jobs.c.env.PATH', 'is reserved'],
  ['env value a mapping', (d) => ({ ...d, jobs: { c: { command: 'x', env: { MODE: { a: 1 } } } } }), 'jobs.c.env.MODE', "env value for 'MODE' must be text"],
  ['env value null', (d) => ({ ...d, jobs: { c: { command: 'x', env: { MODE: null } } } }), 'jobs.c.env.MODE', 'must be text'],
  ['empty workdir', (d) => ({ ...d, jobs: { c: { command: 'x', workdir: '' } } }), 'jobs.c.workdir', 'workdir must not be empty'],
  ['runsOn a number', (d) => ({ ...d, jobs: { c: { command: 'x', runsOn: 5 } } }), 'jobs.c.runsOn', 'runsOn must be an executor label or a list of labels'],
  ['runsOn with an empty label', (d) => ({ ...d, jobs: { c: { command: 'x', runsOn: ['linux', ''] } } }), 'jobs.c.runsOn.1', 'runsOn labels must be non-empty strings'],
  ['runsOn with a label twice', (d) => ({ ...d, jobs: { c: { command: 'x', runsOn: ['gpu', 'gpu'] } } }), 'jobs.c.runsOn', "label 'gpu' is listed twice"],
  ['retries negative', (d) => ({ ...d, jobs: { c: { command: 'x', retries: -1 } } }), 'jobs.c.retries', 'retries must be a whole number from 0 to 100'],
  ['retries over 100', (d) => ({ ...d, jobs: { c: { command: 'x', retries: 101 } } }), 'jobs.c.retries', 'from 0 to 100'],
  ['retries fractional', (d) => ({ ...d, jobs: { c: { command: 'x', retries: 1.5 } } }), 'jobs.c.retries', 'from 0 to 100'],
  ['retries as text', (d) => ({ ...d, jobs: { c: { command: 'x', retries: '3' } } }), 'jobs.c.retries', 'from 0 to 100; got "3"'],
  ['retryDelay not a duration', (d) => ({ ...d, jobs: { c: { command: 'x', retryDelay: 'soon' } } }), 'jobs.c.retryDelay', 'retryDelay must be a duration'],
  ['job timeout zero', (d) => ({ ...d, jobs: { c: { command: 'x', timeout: '0s' } } }), 'jobs.c.timeout', 'timeout must be greater than 0'],
  ['job timeout with a space', (d) => ({ ...d, jobs: { c: { command: 'x', timeout: '10 m' } } }), 'jobs.c.timeout', 'timeout must be a duration'],
  ['killGrace not a duration', (d) => ({ ...d, jobs: { c: { command: 'x', killGrace: true } } }), 'jobs.c.killGrace', 'killGrace must be a duration'],
  // notify
  ['notify a list', (d) => ({ ...d, notify: [{ email: 'a@b.c' }] }), 'notify', 'notify must be a mapping of events'],
  ['notify unknown event', (d) => ({ ...d, notify: { onFail: [] } }), 'notify.onFail', "unknown key 'onFail' in notify; allowed: onSuccess, onFailure, onRetry, onLongRunning, longRunningAfter"],
  ['targets not a list', (d) => ({ ...d, notify: { onFailure: { email: 'ops@example.com' } } }), 'notify.onFailure', 'onFailure must be a list of targets'],
  ['target with neither email nor webhook', (d) => ({ ...d, notify: { onFailure: [{ slack: '#ops' }] } }), 'notify.onFailure.0', 'a notify target needs exactly one of email or webhook'],
  ['target with both', (d) => ({ ...d, notify: { onSuccess: [{ email: 'a@b.c', webhook: 'https://h.example/x' }] } }), 'notify.onSuccess.0', 'exactly one of email or webhook'],
  ['target a string', (d) => ({ ...d, notify: { onRetry: ['ops@example.com'] } }), 'notify.onRetry.0', 'exactly one of email or webhook'],
  ['email without @', (d) => ({ ...d, notify: { onFailure: [{ email: 'ops' }] } }), 'notify.onFailure.0.email', 'email must be one address such as ops@example.com'],
  ['two emails in one', (d) => ({ ...d, notify: { onFailure: [{ email: 'a@b.c, d@e.f' }] } }), 'notify.onFailure.0.email', 'email must be one address'],
  ['email target with a secret', (d) => ({ ...d, notify: { onFailure: [{ email: 'a@b.c', secret: 's' }] } }), 'notify.onFailure.0.secret', "unknown key 'secret' in an email target; allowed: email"],
  ['webhook over ftp', (d) => ({ ...d, notify: { onFailure: [{ webhook: 'ftp://h.example/x' }] } }), 'notify.onFailure.0.webhook', 'webhook must be an http:// or https:// URL'],
  ['webhook not a URL', (d) => ({ ...d, notify: { onFailure: [{ webhook: 'hooks.example.com/x' }] } }), 'notify.onFailure.0.webhook', 'http:// or https://'],
  ['webhook unknown key', (d) => ({ ...d, notify: { onFailure: [{ webhook: 'https://h.example/x', headers: {} }] } }), 'notify.onFailure.0.headers', "unknown key 'headers' in a webhook target; allowed: webhook, secret, timeout"],
  ['webhook empty secret', (d) => ({ ...d, notify: { onFailure: [{ webhook: 'https://h.example/x', secret: '' }] } }), 'notify.onFailure.0.secret', 'secret must not be empty'],
  ['webhook timeout zero', (d) => ({ ...d, notify: { onFailure: [{ webhook: 'https://h.example/x', timeout: 0 }] } }), 'notify.onFailure.0.timeout', 'timeout must be greater than 0'],
  ['onLongRunning without longRunningAfter', (d) => ({ ...d, notify: { onLongRunning: [{ email: 'a@b.c' }] } }), 'notify.longRunningAfter', 'longRunningAfter is required with onLongRunning'],
  ['longRunningAfter without onLongRunning', (d) => ({ ...d, notify: { longRunningAfter: '1h' } }), 'notify.onLongRunning', 'longRunningAfter has no effect without onLongRunning'],
  ['longRunningAfter not a duration', (d) => ({ ...d, notify: { onLongRunning: [{ email: 'a@b.c' }], longRunningAfter: 'late' } }), 'notify.longRunningAfter', 'longRunningAfter must be a duration'],
  ['job-level notify, bad address', (d) => ({ ...d, jobs: { c: { command: 'x', notify: { onSuccess: [{ email: 'nobody' }] } } } }), 'jobs.c.notify.onSuccess.0.email', 'email must be one address'],
  ['job-level notify, unknown event', (d) => ({ ...d, jobs: { c: { command: 'x', notify: { onStart: [] } } } }), 'jobs.c.notify.onStart', "unknown key 'onStart' in notify"],
  // schedule
  ['schedule a string', (d) => ({ ...d, schedule: '0 * * * *' }), 'schedule', 'schedule must be a mapping such as { cron:'],
  ['schedule unknown key', (d) => ({ ...d, schedule: { cron: '0 * * * *', tz: 'UTC' } }), 'schedule.tz', "unknown key 'tz' in schedule; allowed: cron, timezone, catchup, catchupLimit, overlap, enabled"],
  ['scheduled workflow with a param without default', (d) => ({ ...d, params: { DAY: {} }, schedule: { cron: '0 * * * *' } }), 'params.DAY', "param 'DAY' needs a default: scheduled runs start without anyone to give it"],
  ['more than 2000 jobs', (d) => ({ ...d, jobs: Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`j${i}`, { command: 'true' }])) }), 'jobs', 'a workflow may have at most 2000 jobs; this one has 2001'],
  ['schedule without cron', (d) => ({ ...d, schedule: { timezone: 'UTC' } }), 'schedule.cron', 'cron is required: five fields'],
  ['cron not a string', (d) => ({ ...d, schedule: { cron: 5 } }), 'schedule.cron', 'cron must be a string'],
  ['timezone not a string', (d) => ({ ...d, schedule: { cron: '0 * * * *', timezone: 1 } }), 'schedule.timezone', 'timezone must be a string'],
  ['catchup unknown', (d) => ({ ...d, schedule: { cron: '0 * * * *', catchup: 'some' } }), 'schedule.catchup', 'catchup must be one of none, latest, all; got "some"'],
  ['catchupLimit zero', (d) => ({ ...d, schedule: { cron: '0 * * * *', catchupLimit: 0 } }), 'schedule.catchupLimit', 'catchupLimit must be a whole number 1 or more'],
  ['catchupLimit fractional', (d) => ({ ...d, schedule: { cron: '0 * * * *', catchupLimit: 2.5 } }), 'schedule.catchupLimit', '1 or more'],
  ['overlap unknown', (d) => ({ ...d, schedule: { cron: '0 * * * *', overlap: 'never' } }), 'schedule.overlap', 'overlap must be one of skip, allow, queue'],
  ['enabled as text', (d) => ({ ...d, schedule: { cron: '0 * * * *', enabled: 'yes' } }), 'schedule.enabled', 'enabled must be true or false; got "yes"'],
];

describe('validateDefinition refuses', () => {
  it.each(INVALID)('%s', (_what, breakIt, path, fragment) => {
    expect(problemsOf(breakIt(base()))).toEqual([{ path, message: expect.stringContaining(fragment) }]);
  });

  it('the base of those cases is itself valid', () => {
    expect(validateDefinition(base()).ok).toBe(true);
  });

  it.each([
    [null, 'the definition is empty'],
    [undefined, 'the definition is empty'],
    [[{ name: 'wf' }], 'must be a mapping with keys such as name and jobs; got a list'],
    ['name: wf', 'must be a mapping'],
    [42, 'must be a mapping'],
  ])('a definition that is %j', (raw, fragment) => {
    expect(problemsOf(raw)).toEqual([{ path: '', message: expect.stringContaining(fragment) }]);
  });

  it('a name in the body that differs from the one in the path', () => {
    expect(problemsOf({ ...base(), name: 'x' }, { name: 'y' })).toEqual([
      { path: 'name', message: expect.stringContaining("name 'x' in the body must equal 'y' in the path") },
    ]);
  });

  it('an invalid name given by the path', () => {
    const { name: _, ...d } = base();
    expect(problemsOf(d, { name: 'bad name' })).toEqual([{ path: 'name', message: expect.stringContaining("name 'bad name' is not valid") }]);
  });

  it('with every problem at once, in one answer', () => {
    const raw = {
      name: 'bad name',
      colour: 'red',
      timeout: 'forever',
      params: { HOME: {} },
      schedule: { cron: '0 * * * *', overlap: 'sometimes' },
      jobs: {
        a: { command: 'x', needs: ['ghost'], retries: 1000 },
        b: { workflow: 'other', command: 'y' },
      },
    };
    expect(problemsOf(raw).map((p) => p.path).sort()).toEqual(
      ['colour', 'name', 'timeout', 'params.HOME', 'schedule.overlap', 'jobs.a.needs', 'jobs.a.retries', 'jobs.b'].sort(),
    );
  });

  it('every problem of one job, not just the first', () => {
    const raw = { name: 'wf', jobs: { a: { command: '', env: { PATH: 'x' }, retries: -1, timeout: 'x', runsOn: 3 } } };
    expect(problemsOf(raw).map((p) => p.path)).toEqual(['jobs.a.command', 'jobs.a.env.PATH', 'jobs.a.runsOn', 'jobs.a.retries', 'jobs.a.timeout']);
  });

  it('a need of an invalid job still counts that job as existing (one problem, not two)', () => {
    const raw = { name: 'wf', jobs: { a: { command: 'x', retries: -1 }, b: { command: 'y', needs: ['a'] } } };
    expect(problemsOf(raw).map((p) => p.path)).toEqual(['jobs.a.retries']);
  });

  it('a long list of jobs is cut short in the unknown-job message', () => {
    const jobs: Raw = {};
    for (let i = 0; i < 30; i++) jobs[`j${i}`] = { command: 'x' };
    jobs.last = { command: 'x', needs: ['nope'] };
    const [p] = problemsOf({ name: 'wf', jobs });
    expect(p.message).toContain("unknown job 'nope'; jobs are j0, j1,");
    expect(p.message).toContain('(31 in all)');
    expect(p.message).not.toContain('j25');
  });
});

describe('validateDefinition accepts', () => {
  it('an empty workflow, with every default applied', () => {
    expect(specOf({ name: 'empty', jobs: {} })).toEqual({ name: 'empty', group: 'default', params: {}, jobs: {} });
  });

  it('the example of DESIGN.md, compiled', () => {
    const text = `
name: nightly-etl
description: Load yesterday's orders and build the report
schedule: { cron: "30 2 * * *", timezone: Europe/London, catchup: latest, overlap: skip }
jobs:
  extract:   { command: "./etl/extract.sh", timeout: 10m, retries: 2, retryDelay: 30s }
  transform: { command: "python3 etl/transform.py", needs: [extract], env: { MODE: full } }
  report:    { workflow: reporting, needs: [transform] }      # nested workflow
notify:
  onFailure: [ { email: ops@example.com }, { webhook: "https://hooks.example.com/course" } ]
`;
    const parsed = parseDefinitionText(text, 'yaml');
    if (!parsed.ok) throw new Error('parse');
    const spec = specOf(parsed.value);
    expect(spec).toStrictEqual({
      name: 'nightly-etl',
      description: "Load yesterday's orders and build the report",
      group: 'default',
      params: {},
      notify: { onFailure: [{ email: 'ops@example.com' }, { webhook: 'https://hooks.example.com/course' }] },
      schedule: { cron: '30 2 * * *', timezone: 'Europe/London', catchup: 'latest', catchupLimit: 100, overlap: 'skip', enabled: true },
      jobs: {
        extract: { name: 'extract', command: './etl/extract.sh', needs: [], env: {}, runsOn: [], retries: 2, retryDelayMs: 30_000, timeoutMs: 600_000 },
        transform: { name: 'transform', command: 'python3 etl/transform.py', needs: ['extract'], env: { MODE: 'full' }, runsOn: [], retries: 0, retryDelayMs: 0 },
        report: { name: 'report', workflow: 'reporting', needs: ['transform'], env: {}, runsOn: [], retries: 0, retryDelayMs: 0 },
      },
    });
    expect(Object.keys(spec.jobs)).toEqual(['extract', 'transform', 'report']);
  });

  it('schedule defaults: UTC, catch up the latest, at most 100, skip overlaps, enabled', () => {
    expect(specOf({ ...base(), schedule: { cron: '0 * * * *' } }).schedule).toEqual({
      cron: '0 * * * *',
      timezone: 'UTC',
      catchup: 'latest',
      catchupLimit: 100,
      overlap: 'skip',
      enabled: true,
    });
    expect(
      specOf({ ...base(), schedule: { cron: '*/5 * * * 1-5', timezone: 'America/New_York', catchup: 'all', catchupLimit: 7, overlap: 'queue', enabled: false } }).schedule,
    ).toEqual({ cron: '*/5 * * * 1-5', timezone: 'America/New_York', catchup: 'all', catchupLimit: 7, overlap: 'queue', enabled: false });
  });

  it('a schedule the schedule module refuses is refused under schedule', () => {
    for (const schedule of [{ cron: 'every day' }, { cron: '0 0 30 2 *' }, { cron: '0 * * * *', timezone: 'Mars/Olympus_Mons' }]) {
      const problems = problemsOf({ ...base(), schedule });
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p.path).toMatch(/^schedule(\.|$)/);
    }
  });

  it('the name from the path when the body has none, and an equal name in both', () => {
    const { name: _, ...d } = base();
    expect(specOf(d, { name: 'from-path' }).name).toBe('from-path');
    expect(specOf({ ...base(), name: 'same' }, { name: 'same' }).name).toBe('same');
  });

  it('names at the limits of their patterns', () => {
    const spec = specOf({ name: `A${'b'.repeat(99)}`, group: 'ops.team_1-x', jobs: { [longName(64)]: { command: 'x' }, '0': { command: 'y' } } });
    expect(spec.name).toHaveLength(100);
    expect(spec.group).toBe('ops.team_1-x');
    expect(Object.keys(spec.jobs).sort()).toEqual(['0', longName(64)]);
  });

  it('a single need or label written as a string', () => {
    const spec = specOf({ name: 'wf', jobs: { a: { command: 'x' }, b: { command: 'y', needs: 'a', runsOn: 'gpu' } } });
    expect(spec.jobs.b.needs).toEqual(['a']);
    expect(spec.jobs.b.runsOn).toEqual(['gpu']);
  });

  it('numbers and booleans in env and param defaults, as text', () => {
    const spec = specOf({
      name: 'wf',
      params: { DAYS: { default: 7, description: 'how far back' }, DRY: { default: false }, FREE: null, BARE: {} },
      jobs: { a: { command: 'x', env: { PORT: 8080, RATIO: 0.5, DEBUG: true, MODE: 'full', EMPTY: '' } } },
    });
    expect(spec.params).toEqual({ DAYS: { default: '7', description: 'how far back' }, DRY: { default: 'false' }, FREE: {}, BARE: {} });
    expect(spec.jobs.a.env).toEqual({ PORT: '8080', RATIO: '0.5', DEBUG: 'true', MODE: 'full', EMPTY: '' });
  });

  it('names that only look like reserved ones', () => {
    const spec = specOf({ name: 'wf', params: { path: {}, HOMEDIR: {}, LD: {}, COURSE: {} }, jobs: { a: { command: 'x', env: { Path: '1', MY_LD_X: '2' } } } });
    expect(Object.keys(spec.params)).toEqual(['path', 'HOMEDIR', 'LD', 'COURSE']);
    expect(Object.keys(spec.jobs.a.env)).toEqual(['Path', 'MY_LD_X']);
  });

  it('durations in every form, as milliseconds', () => {
    const spec = specOf({
      name: 'wf',
      timeout: '2h',
      jobs: { a: { command: 'x', timeout: 90, retryDelay: '1500ms', killGrace: 0, retries: 100 } },
      notify: { onLongRunning: [{ webhook: 'http://127.0.0.1:9/h', secret: 's3', timeout: '5s' }], longRunningAfter: '1d' },
    });
    expect(spec.timeoutMs).toBe(7_200_000);
    expect(spec.jobs.a).toMatchObject({ timeoutMs: 90_000, retryDelayMs: 1500, killGraceMs: 0, retries: 100 });
    expect(spec.notify).toEqual({ onLongRunning: [{ webhook: 'http://127.0.0.1:9/h', secret: 's3', timeoutMs: 5000 }], longRunningAfterMs: 86_400_000 });
  });

  it('notify at job level, with every event', () => {
    const notify = {
      onSuccess: [{ email: 'a@example.com' }],
      onFailure: [],
      onRetry: [{ webhook: 'https://h.example/retry' }],
      onLongRunning: [{ email: 'b@example.com' }],
      longRunningAfter: '30m',
    };
    expect(specOf({ name: 'wf', jobs: { a: { command: 'x', notify } } }).jobs.a.notify).toEqual({
      onSuccess: [{ email: 'a@example.com' }],
      onFailure: [],
      onRetry: [{ webhook: 'https://h.example/retry' }],
      onLongRunning: [{ email: 'b@example.com' }],
      longRunningAfterMs: 1_800_000,
    });
  });

  it('null for an optional key as if it were not written (YAML `description:` with nothing after)', () => {
    const spec = specOf({ name: 'wf', description: null, group: null, params: null, timeout: null, notify: null, schedule: null, jobs: { a: { command: 'x', workflow: null, needs: null, env: null } } });
    expect(spec).toStrictEqual({
      name: 'wf',
      group: 'default',
      params: {},
      jobs: { a: { name: 'a', command: 'x', needs: [], env: {}, runsOn: [], retries: 0, retryDelayMs: 0 } },
    });
  });

  it('jobs in the order they were written', () => {
    const spec = specOf({ name: 'wf', jobs: { zeta: { command: 'x' }, alpha: { command: 'x', needs: 'zeta' }, mid: { command: 'x' } } });
    expect(Object.keys(spec.jobs)).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('a diamond of needs', () => {
    const spec = specOf({ name: 'wf', jobs: { a: { command: 'x' }, b: { command: 'x', needs: 'a' }, c: { command: 'x', needs: 'a' }, d: { command: 'x', needs: ['b', 'c'] } } });
    expect(spec.jobs.d.needs).toEqual(['b', 'c']);
  });

  it('a job nesting another workflow', () => {
    expect(specOf({ name: 'wf', jobs: { r: { workflow: 'reporting', retries: 1 } } }).jobs.r).toEqual({
      name: 'r',
      workflow: 'reporting',
      needs: [],
      env: {},
      runsOn: [],
      retries: 1,
      retryDelayMs: 0,
    });
  });
});
