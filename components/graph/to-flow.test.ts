import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../lib/domain/definition';
import { layoutGraph, packInOrder } from './layout';
import { elapsedMs, formatElapsed, graphLayout, jobsOf, layoutKey, reuseUnchanged, toFlow, type RunSnapshot } from './to-flow';

const raw = {
  name: 'etl',
  jobs: {
    extract: { command: './extract.sh\nmore' },
    transform: { command: 'python3 t.py', needs: 'extract' },
    load: { command: 'load', needs: ['transform', 'extract'] },
    report: { workflow: 'reporting', needs: ['load'] },
  },
};

describe('jobsOf', () => {
  it('reads raw definitions (needs as text or list) and validated specs alike', () => {
    const fromRaw = jobsOf(raw);
    const spec = validateDefinition(raw);
    expect(spec.ok).toBe(true);
    const fromSpec = jobsOf(spec.ok ? spec.value : null);
    expect(fromRaw.map((j) => [j.name, j.needs])).toEqual([
      ['extract', []],
      ['transform', ['extract']],
      ['load', ['transform', 'extract']],
      ['report', ['load']],
    ]);
    expect(fromSpec.map((j) => [j.name, j.needs])).toEqual(fromRaw.map((j) => [j.name, j.needs]));
    expect(fromRaw[3].workflow).toBe('reporting');
  });

  it('ignores what is not a job', () => {
    expect(jobsOf(null)).toEqual([]);
    expect(jobsOf({ jobs: 'x' })).toEqual([]);
    expect(jobsOf({ jobs: { a: null, b: { needs: [1, 'a'] } } })).toEqual([
      { name: 'a', needs: [] },
      { name: 'b', needs: ['a'] },
    ]);
  });
});

describe('layout', () => {
  it('puts every job right of the jobs it needs, without overlaps', () => {
    const flow = toFlow(raw);
    const pos = Object.fromEntries(flow.nodes.map((n) => [n.id, n.position]));
    expect(pos.transform.x).toBeGreaterThan(pos.extract.x);
    expect(pos.load.x).toBeGreaterThan(pos.transform.x);
    expect(pos.report.x).toBeGreaterThan(pos.load.x);
    assertNoOverlap(flow.nodes.map((n) => n.position));
  });

  it('lays out a cyclic graph (while editing) and still ranks the rest', () => {
    const l = layoutGraph({ ids: ['a', 'b', 'c', 'd'], needs: { a: ['c'], b: ['a'], c: ['b'], d: [] } });
    expect(Object.keys(l.positions).sort()).toEqual(['a', 'b', 'c', 'd']);
    assertNoOverlap(Object.values(l.positions));
  });

  it('is deterministic and fast for 500 jobs', () => {
    const jobs = bigJobs(500);
    const t = performance.now();
    const a = graphLayout(jobs);
    const ms = performance.now() - t;
    expect(graphLayout(jobs)).toEqual(a);
    expect(ms).toBeLessThan(500);
    for (const j of jobs) for (const n of j.needs) expect(a.rank[j.name]).toBeGreaterThan(a.rank[n]);
    assertNoOverlap(Object.values(a.positions));
  });

  it('packs wanted positions apart by a step, in order', () => {
    expect(packInOrder([0, 0, 0], 10)).toEqual([-10, 0, 10]);
    expect(packInOrder([0, 100], 10)).toEqual([0, 100]);
    const p = packInOrder([5, 3, 50, 51], 10);
    for (let i = 1; i < p.length; i++) expect(p[i] - p[i - 1]).toBeGreaterThanOrEqual(10);
  });

  it('changes its key only when names or needs change', () => {
    const a = jobsOf(raw);
    const b = jobsOf({ jobs: { ...raw.jobs, extract: { command: 'other' } } });
    const c = jobsOf({ jobs: { ...raw.jobs, report: { workflow: 'reporting', needs: ['extract'] } } });
    expect(layoutKey(a)).toBe(layoutKey(b));
    expect(layoutKey(a)).not.toBe(layoutKey(c));
  });
});

describe('toFlow', () => {
  it('makes one node per job and one edge per need, and drops needs of unknown jobs', () => {
    const flow = toFlow({ jobs: { a: { command: 'x' }, b: { command: 'y', needs: ['a', 'ghost', 'b'] } } });
    expect(flow.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(flow.edges.map((e) => [e.source, e.target])).toEqual([['a', 'b']]);
    expect(flow.nodes[0].data).toMatchObject({ kind: 'command', detail: 'x', state: null });
  });

  it('shows each job run: state, reason, attempts, child run, elapsed', () => {
    const run: RunSnapshot = {
      id: 7,
      state: 'failure',
      jobRuns: [
        { job: 'extract', state: 'success', reason: null, attempts: [{ number: 1, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:05.000Z' }] },
        {
          job: 'transform',
          state: 'failure',
          reason: 'exit code 3',
          attempts: [
            { number: 1, startedAt: '2026-01-01T00:00:05.000Z', endedAt: '2026-01-01T00:00:06.000Z' },
            { number: 2, startedAt: '2026-01-01T00:00:08.000Z', endedAt: '2026-01-01T00:00:09.500Z' },
          ],
        },
        { job: 'load', state: 'skipped', reason: 'dependency transform failed', attempts: [] },
        { job: 'report', state: 'skipped', reason: 'dependency load skipped', childRunId: null, attempts: [] },
      ],
    };
    const flow = toFlow(raw, run);
    const d = Object.fromEntries(flow.nodes.map((n) => [n.id, n.data]));
    expect(d.extract.state).toBe('success');
    expect(elapsedMs(d.extract, 0)).toBe(5000);
    expect(d.transform).toMatchObject({ state: 'failure', reason: 'exit code 3', attempts: 2 });
    expect(elapsedMs(d.transform, 0)).toBe(4500);
    expect(d.load).toMatchObject({ state: 'skipped', reason: 'dependency transform failed' });
    expect(d.report.kind).toBe('workflow');
    expect(flow.edges.find((e) => e.id === 'transform->load')?.className).toContain('course-edge-from-failure');
  });

  it('ticks the elapsed time of a job that has not ended', () => {
    const flow = toFlow(raw, { id: 1, state: 'executing', jobRuns: [{ job: 'extract', state: 'executing', reason: null, attempts: [{ number: 1, startedAt: '2026-01-01T00:00:00.000Z', endedAt: null }] }] });
    const d = flow.nodes[0].data;
    expect(d.endedAt).toBeNull();
    expect(elapsedMs(d, Date.parse('2026-01-01T00:01:02.000Z'))).toBe(62_000);
    expect(formatElapsed(62_000)).toBe('1m 02s');
    expect(formatElapsed(450)).toBe('450ms');
    expect(formatElapsed(7_500_000)).toBe('2h 05m');
  });

  it('highlights a cycle: its nodes and the edges that close it', () => {
    const def = { jobs: { a: { command: 'x', needs: ['c'] }, b: { command: 'y', needs: ['a'] }, c: { command: 'z', needs: ['b'] }, d: { command: 'w', needs: ['a'] } } };
    const flow = toFlow(def, null, { cycle: ['a', 'c', 'b', 'a'] });
    expect(flow.nodes.filter((n) => n.data.inCycle).map((n) => n.id).sort()).toEqual(['a', 'b', 'c']);
    expect(flow.edges.filter((e) => e.data?.inCycle).map((e) => e.id).sort()).toEqual(['a->b', 'b->c', 'c->a']);
    expect(flow.edges.find((e) => e.id === 'a->d')?.data?.inCycle).toBe(false);
  });

  it('puts problems on their job', () => {
    const flow = toFlow(raw, null, { problems: { load: ['needs: unknown job x'] } });
    expect(flow.nodes.find((n) => n.id === 'load')?.data.problems).toEqual(['needs: unknown job x']);
    expect(flow.nodes.find((n) => n.id === 'extract')?.data.problems).toBeNull();
  });

  it('keeps the objects of what did not change, so only changed nodes re-render', () => {
    const jobs = jobsOf(raw);
    const layout = graphLayout(jobs);
    const run = (s: string): RunSnapshot => ({ id: 1, state: 'executing', jobRuns: [{ job: 'extract', state: s, reason: null, attempts: [] }] });
    const a = toFlow(jobs, run('queued'), { layout });
    const same = reuseUnchanged(a, toFlow(jobs, run('queued'), { layout }));
    expect(same).toBe(a);
    const b = reuseUnchanged(a, toFlow(jobs, run('executing'), { layout }));
    expect(b).not.toBe(a);
    expect(b.nodes[0]).not.toBe(a.nodes[0]);
    expect(b.nodes[1]).toBe(a.nodes[1]);
    expect(b.edges[0]).not.toBe(a.edges[0]); // extract->transform: its source's state changed
    expect(b.edges.find((e) => e.id === 'transform->load')).toBe(a.edges.find((e) => e.id === 'transform->load'));
  });

  it('builds a 500-job run graph quickly once the layout is known', () => {
    const jobs = bigJobs(500);
    const layout = graphLayout(jobs);
    const run: RunSnapshot = { id: 1, state: 'executing', jobRuns: jobs.map((j, i) => ({ job: j.name, state: i % 3 ? 'new' : 'success', reason: null, attempts: [] })) };
    const t = performance.now();
    let prev = toFlow(jobs, run, { layout });
    for (let i = 0; i < 20; i++) prev = reuseUnchanged(prev, toFlow(jobs, { ...run, jobRuns: run.jobRuns.map((jr, k) => (k === i ? { ...jr, state: 'executing' } : jr)) }, { layout }));
    expect((performance.now() - t) / 21).toBeLessThan(50);
  });
});

function bigJobs(n: number) {
  const jobs = [];
  for (let i = 0; i < n; i++) {
    const needs = [];
    if (i >= 10) needs.push(`job-${Math.max(0, i - 10 - (i % 7))}`);
    if (i >= 25 && i % 3 === 0) needs.push(`job-${i - 25}`);
    jobs.push({ name: `job-${i}`, needs: needs.filter((x) => x !== `job-${i}`) });
  }
  return jobs;
}

function assertNoOverlap(points: { x: number; y: number }[]) {
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i];
      const b = points[j];
      const overlap = Math.abs(a.x - b.x) < 200 && Math.abs(a.y - b.y) < 64;
      if (overlap) throw new Error(`nodes overlap at ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    }
}
