// Every example is a valid definition (the server's own validator), its nested workflows are
// examples too, and it follows the rules the examples promise: loud shells, time limits.

import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../lib/domain/definition/index';
import { loadExamples, nestedWorkflows, saveOrder } from './catalog';

const examples = loadExamples();
const byName = new Map(examples.map((e) => [e.spec.name, e.spec]));

describe('the examples', () => {
  it('are the ones the README describes, each named after its file', () => {
    expect(examples.map((e) => [e.file, e.spec.name])).toEqual([
      ['archive.yaml', 'archive'],
      ['housekeeping.yaml', 'housekeeping'],
      ['packages-report.yaml', 'packages-report'],
      ['zones-report.yaml', 'zones-report'],
    ]);
  });

  it('come in an order the server accepts: nested workflows first', () => {
    const names = examples.map((e) => e.spec.name);
    for (const e of examples) {
      for (const child of nestedWorkflows(e.spec)) expect(names.indexOf(child)).toBeLessThan(names.indexOf(e.spec.name));
    }
  });

  it('nest archive twice, each as the last job, after a diamond', () => {
    for (const name of ['packages-report', 'zones-report']) {
      const spec = byName.get(name)!;
      expect(nestedWorkflows(spec)).toEqual(['archive']);
      const order = topologicalOrder(spec.jobs);
      expect(spec.jobs[order.at(-1)!].workflow).toBe('archive');
      // ingest fans out to two jobs that the report joins.
      const fanOut = Object.values(spec.jobs).filter((j) => j.needs.length === 1 && j.needs[0] === 'ingest');
      expect(fanOut).toHaveLength(2);
      expect(spec.jobs.report.needs.sort()).toEqual(fanOut.map((j) => j.name).sort());
    }
  });

  it('fail loudly and have time limits: every command starts with set -eu, every job and run has a timeout', () => {
    for (const { spec } of examples) {
      expect(spec.timeoutMs, spec.name).toBeGreaterThan(0);
      for (const job of Object.values(spec.jobs)) {
        if (job.command) {
          expect(job.command.startsWith('set -eu\n'), `${spec.name}.${job.name}`).toBe(true);
          expect(job.timeoutMs, `${spec.name}.${job.name}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('show retries once, and a daily schedule on housekeeping', () => {
    const retrying = examples.flatMap((e) => Object.values(e.spec.jobs).filter((j) => j.retries > 0).map((j) => `${e.spec.name}.${j.name}`));
    expect(retrying).toEqual(['packages-report.ingest']);
    expect(byName.get('housekeeping')!.schedule).toMatchObject({ cron: '17 3 * * *', timezone: 'UTC' });
  });

  it('declare every parameter their commands read, with a default', () => {
    for (const { spec } of examples) {
      const used = new Set(Object.values(spec.jobs).flatMap((j) => [...(j.command ?? '').matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1])));
      for (const name of used) {
        if (name.startsWith('COURSE_')) continue;
        expect(spec.params[name]?.default, `${spec.name} uses $${name}`).toBeDefined();
      }
    }
  });

  it('refuse a nested workflow that is missing, and a containment cycle', () => {
    const [archive, , pipeline] = examples;
    expect(() => saveOrder([pipeline])).toThrow("nests workflow 'archive', which is not among the examples");
    const loop = { ...archive, spec: { ...archive.spec, jobs: { ...archive.spec.jobs, back: { ...archive.spec.jobs.compress, name: 'back', command: undefined, workflow: 'packages-report' } } } };
    expect(() => saveOrder([loop, pipeline])).toThrow('containment cycle: archive → packages-report → archive');
  });
});
