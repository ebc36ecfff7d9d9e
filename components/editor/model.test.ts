import { describe, expect, it } from 'vitest';
import { toFlow } from '../graph/to-flow';
import {
  addJob,
  addNeed,
  checkDefinition,
  definitionToYaml,
  editorReducer,
  initEditor,
  newDefinition,
  placeProblems,
  removeJobs,
  removeNeeds,
  renameJob,
  setJobField,
  setTask,
  yamlToDefinition,
  type EditorState,
} from './model';

const edit = (s: EditorState, update: Parameters<typeof editorReducer>[1] extends infer A ? (A extends { type: 'edit'; update: infer U } ? U : never) : never) =>
  editorReducer(s, { type: 'edit', update });

describe('editing operations', () => {
  it('builds a three-job workflow with needs, and it validates', () => {
    let def = newDefinition('three', 'default');
    for (const _ of [1, 2, 3]) def = addJob(def).definition;
    def = addNeed(def, 'job-2', 'job-1');
    def = addNeed(def, 'job-3', 'job-2');
    def = addNeed(def, 'job-3', 'job-2'); // twice is once
    expect(def.jobs).toEqual({
      'job-1': { command: 'echo job-1' },
      'job-2': { command: 'echo job-2', needs: ['job-1'] },
      'job-3': { command: 'echo job-3', needs: ['job-2'] },
    });
    const check = checkDefinition(def, 'three');
    expect(check.all).toEqual([]);
    expect(check.cycle).toBeNull();
  });

  it('renames a job in place and in the needs naming it; refuses a taken name', () => {
    let def = addJob(addJob(newDefinition('w', 'default'), 'a').definition, 'b').definition;
    def = addNeed(def, 'b', 'a');
    const r = renameJob(def, 'a', 'first');
    expect(Object.keys(r.definition.jobs as object)).toEqual(['first', 'b']);
    expect((r.definition.jobs as Record<string, { needs: string[] }>).b.needs).toEqual(['first']);
    expect(renameJob(def, 'a', 'b').error).toMatch(/exists/);
  });

  it('removing a job removes the needs naming it; removing a need drops an empty list', () => {
    let def = addJob(addJob(newDefinition('w', 'default'), 'a').definition, 'b').definition;
    def = addNeed(def, 'b', 'a');
    expect(removeJobs(def, ['a']).jobs).toEqual({ b: { command: 'echo b' } });
    expect(removeNeeds(def, [{ job: 'b', need: 'a' }]).jobs).toEqual({ a: { command: 'echo a' }, b: { command: 'echo b' } });
  });

  it('keeps job keys in CONTRACT order and one task', () => {
    let def = addJob(newDefinition('w', 'default'), 'a').definition;
    def = setJobField(def, 'a', 'timeout', '10m');
    def = setJobField(def, 'a', 'retries', 2);
    def = setJobField(def, 'a', 'env', { MODE: 'full' });
    def = setTask(def, 'a', 'workflow', 'reporting');
    expect(Object.keys((def.jobs as Record<string, object>).a)).toEqual(['workflow', 'env', 'retries', 'timeout']);
    def = setJobField(def, 'a', 'env', {});
    expect((def.jobs as Record<string, object>).a).not.toHaveProperty('env');
  });
});

describe('validation placed where it applies', () => {
  it('puts problems on the job and the field of their path', () => {
    const def = { name: 'w', jobs: { a: { command: 'x', needs: ['ghost'], retries: -1 }, b: {} }, schedule: { cron: 'nope' } };
    const check = checkDefinition(def, 'w');
    expect(Object.keys(check.byJob).sort()).toEqual(['a', 'b']);
    expect(check.byField['a.needs']?.[0].message).toMatch(/ghost/);
    expect(check.byField['a.retries']).toBeDefined();
    expect(check.byField['b.']?.[0].message).toMatch(/command/);
    expect(check.general.some((p) => p.path.startsWith('schedule'))).toBe(true);
  });

  it('finds a cycle and the graph highlights exactly its nodes and edges', () => {
    let def = newDefinition('w', 'default');
    for (const n of ['a', 'b', 'c', 'd']) def = addJob(def, n).definition;
    def = addNeed(addNeed(addNeed(def, 'b', 'a'), 'c', 'b'), 'a', 'c');
    def = addNeed(def, 'd', 'a');
    const check = checkDefinition(def, 'w');
    expect(check.cycle).not.toBeNull();
    expect(check.byField[`${check.cycle![0]}.needs`]?.[0].message).toMatch(/cycle/);
    const flow = toFlow(def, null, { cycle: check.cycle });
    expect(flow.nodes.filter((n) => n.data.inCycle).map((n) => n.id).sort()).toEqual(['a', 'b', 'c']);
    expect(flow.edges.filter((e) => e.data?.inCycle).map((e) => e.id).sort()).toEqual(['a->b', 'b->c', 'c->a']);
  });

  it('places the server’s problems the same way', () => {
    const placed = placeProblems([
      { path: 'jobs.report.workflow', message: "workflow 'reporting' is not saved yet" },
      { path: '', message: 'general' },
    ]);
    expect(placed.byField['report.workflow']).toHaveLength(1);
    expect(placed.general).toHaveLength(1);
  });
});

describe('YAML and graph in step', () => {
  it('graph edits regenerate the YAML', () => {
    let s = initEditor(newDefinition('w', 'default'));
    s = edit(s, (d) => addJob(d, 'build').definition);
    s = edit(s, (d) => addJob(d, 'test').definition);
    s = edit(s, (d) => addNeed(d, 'test', 'build'));
    expect(s.yaml).toContain('build:');
    expect(s.yaml).toMatch(/test:\n\s+command: echo test\n\s+needs:\n\s+- build/);
    const back = yamlToDefinition(s.yaml);
    expect(back.ok && back.definition).toEqual(s.definition);
  });

  it('YAML edits that parse update the graph; the text stays as typed', () => {
    let s = initEditor(newDefinition('w', 'default'));
    const text = 'name: w\n# a comment\njobs:\n  one: { command: "true" }\n  two: { command: "true", needs: one }\n';
    s = editorReducer(s, { type: 'yaml', text });
    expect(s.yaml).toBe(text);
    expect(s.yamlProblems).toBeNull();
    const flow = toFlow(s.definition);
    expect(flow.nodes.map((n) => n.id)).toEqual(['one', 'two']);
    expect(flow.edges.map((e) => e.id)).toEqual(['one->two']);
  });

  it('YAML that does not parse keeps the last good graph and says why', () => {
    let s = initEditor(addJob(newDefinition('w', 'default'), 'a').definition);
    const before = s.definition;
    s = editorReducer(s, { type: 'yaml', text: 'name: w\njobs:\n  a: [unclosed\n' });
    expect(s.definition).toBe(before);
    expect(s.yamlProblems?.[0].message).toMatch(/YAML syntax error at line/);
    s = editorReducer(s, { type: 'yaml', text: 'name: w\njobs:\n  a: {command: x}\n  a: {command: y}\n' });
    expect(s.yamlProblems?.[0].message).toMatch(/duplicate key 'a'/);
    // a graph edit then writes fresh YAML from the last good definition
    s = edit(s, (d) => addJob(d, 'b').definition);
    expect(s.yamlProblems).toBeNull();
    expect(s.yaml).toContain('b:');
  });

  it('a loaded definition counts as unedited; every edit after it counts', () => {
    let s = editorReducer(initEditor(newDefinition('w', 'default')), { type: 'yaml', text: 'name: w\njobs: {}\n' });
    expect(s.revision).toBe(1);
    s = editorReducer(s, { type: 'load', definition: { name: 'w', group: 'default', jobs: { a: { command: 'x' } } } });
    expect(s.revision).toBe(0);
    expect(s.yaml).toContain('a:\n    command: x');
    expect(edit(s, (d) => addJob(d, 'b').definition).revision).toBe(1);
  });

  it('round-trips a stored definition unchanged', () => {
    const stored = {
      name: 'nightly-etl',
      group: 'default',
      schedule: { cron: '30 2 * * *', timezone: 'Europe/London', catchup: 'latest', catchupLimit: 100, overlap: 'skip', enabled: true },
      jobs: { extract: { command: './x.sh', retries: 2, retryDelay: '30s', timeout: '10m' }, t: { command: 'p', needs: ['extract'], env: { MODE: 'full', N: '1' } } },
    };
    const back = yamlToDefinition(definitionToYaml(stored));
    expect(back.ok && back.definition).toEqual(stored);
  });
});
