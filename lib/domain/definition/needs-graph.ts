// The DAG that `needs` draws inside one workflow. A `workflow:` job is one node like any other.

type NeedsGraph = Record<string, { needs: string[] }>;

/**
 * A cycle among `needs`, as the path that walks it: ['a', 'b', 'c', 'a'] when a needs b, b needs
 * c and c needs a. Null when there is none. Needs naming unknown jobs are ignored (they are
 * reported on their own). Iterative, so a long chain of jobs cannot overflow the stack.
 */
export function findNeedsCycle(jobs: NeedsGraph): string[] | null {
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Map<string, number>();
  for (const start of Object.keys(jobs)) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const nextIndex: number[] = [0];
    state.set(start, ON_PATH);
    while (path.length > 0) {
      const top = path.length - 1;
      const needs = jobs[path[top]].needs;
      if (nextIndex[top] >= needs.length) {
        state.set(path[top], DONE);
        path.pop();
        nextIndex.pop();
        continue;
      }
      const next = needs[nextIndex[top]++];
      if (!Object.hasOwn(jobs, next)) continue;
      const s = state.get(next);
      if (s === ON_PATH) return [...path.slice(path.indexOf(next)), next];
      if (s === undefined) {
        state.set(next, ON_PATH);
        path.push(next);
        nextIndex.push(0);
      }
    }
  }
  return null;
}

/**
 * Every job after the jobs it needs; among jobs free to go, the one written first goes first, so
 * the order is stable and reads like the source. For validated workflows only: throws on a cycle
 * or on a need that names no job.
 */
export function topologicalOrder(jobs: NeedsGraph): string[] {
  const names = Object.keys(jobs);
  const position = new Map(names.map((name, i) => [name, i]));
  const waitingFor = new Map<string, number>();
  const dependants = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const name of names) {
    const needs = new Set(jobs[name].needs);
    for (const need of needs) {
      if (!position.has(need)) throw new Error(`job '${name}' needs unknown job '${need}'`);
      dependants.get(need)!.push(name);
    }
    waitingFor.set(name, needs.size);
  }

  // Ready jobs by source position; the queue stays sorted so the first written is taken first.
  const ready = names.filter((name) => waitingFor.get(name) === 0).map((name) => position.get(name)!);
  const order: string[] = [];
  while (ready.length > 0) {
    const name = names[ready.shift()!];
    order.push(name);
    for (const dependant of dependants.get(name)!) {
      const left = waitingFor.get(dependant)! - 1;
      waitingFor.set(dependant, left);
      if (left === 0) insertSorted(ready, position.get(dependant)!);
    }
  }
  if (order.length < names.length) {
    const cycle = findNeedsCycle(jobs);
    throw new Error(`cycle in needs: ${cycle ? cycle.join(' → ') : 'unknown'}`);
  }
  return order;
}

function insertSorted(sorted: number[], value: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, value);
}
