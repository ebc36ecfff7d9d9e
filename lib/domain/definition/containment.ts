// Nested workflows: saving a workflow must not make one contain itself, at any depth (DESIGN.md,
// "Run supervision"): a run of it would start child runs forever. Pure: the caller passes what the
// saved workflows nest.

/**
 * The containment cycle that saving `root` (whose `workflow:` jobs name `rootChildren`) would
 * make, as a path from `root` back to it: ['a', 'b', 'c', 'a'] when a would nest b, b nests c and
 * c nests a. Null when there is none.
 *
 * `childrenOf(w)` gives the workflows saved workflow `w` nests, or undefined when `w` is not saved
 * (that is refused elsewhere, with its own message). `root`'s saved children are never asked for:
 * the version being saved replaces them. Breadth-first, so the path given is a shortest one, and
 * every workflow is visited once, so cycles among the others cannot trap the search.
 */
export function findContainmentCycle(
  root: string,
  rootChildren: string[],
  childrenOf: (workflow: string) => string[] | undefined,
): string[] | null {
  const reachedFrom = new Map<string, string>();
  const queue: string[] = [root];
  const seen = new Set<string>([root]);
  for (let head = 0; head < queue.length; head++) {
    const workflow = queue[head];
    const children = workflow === root ? rootChildren : (childrenOf(workflow) ?? []);
    for (const child of children) {
      if (child === root) return [...pathTo(workflow, root, reachedFrom), root];
      if (!seen.has(child)) {
        seen.add(child);
        reachedFrom.set(child, workflow);
        queue.push(child);
      }
    }
  }
  return null;
}

function pathTo(workflow: string, root: string, reachedFrom: Map<string, string>): string[] {
  const path = [workflow];
  while (path[0] !== root) path.unshift(reachedFrom.get(path[0])!);
  return path;
}
