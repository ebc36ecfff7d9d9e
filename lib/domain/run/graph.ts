// The `needs` graph of one run, built once per decide() call in O(jobs + needs).
import type { JobSpec } from '../types';

export interface RunGraph {
  /** Job names in source order. */
  order: string[];
  /** job → the jobs that need it directly, in source order, without duplicates. */
  dependants: Map<string, string[]>;
  /** job → its needs (read from the spec once). */
  needs: Map<string, readonly string[]>;
}

export type GraphResult = { ok: true; graph: RunGraph } | { ok: false; error: string };

export function buildGraph(jobs: Record<string, JobSpec>): GraphResult {
  const order = Object.keys(jobs);
  const dependants = new Map<string, string[]>();
  const needsOf = new Map<string, readonly string[]>();
  for (const name of order) dependants.set(name, []);
  for (const name of order) {
    const needs = jobs[name].needs;
    needsOf.set(name, needs);
    for (let i = 0; i < needs.length; i++) {
      const need = needs[i];
      const list = dependants.get(need);
      if (list === undefined) return { ok: false, error: `job "${name}" needs unknown job "${need}"` };
      if (need === name) return { ok: false, error: `job "${name}" needs itself` };
      // Duplicates in one job's needs: the job was pushed last, so checking the tail suffices.
      if (list[list.length - 1] !== name) list.push(name);
    }
  }
  return { ok: true, graph: { order, dependants, needs: needsOf } };
}
