// Compiled definitions of workflow versions. Versions are immutable once saved, so a compiled
// spec can be cached for the life of the process: the hot path (an executor's report) never
// re-validates a definition.
import { validateDefinition } from '../../domain/definition';
import type { WorkflowSpec } from '../../domain/types';
import type { Tx } from '../db/client';

const cache = new Map<number, WorkflowSpec>();
const MAX_CACHED = 500;

export function compileStored(definition: string): WorkflowSpec {
  const result = validateDefinition(JSON.parse(definition));
  // A stored definition was valid when saved; failing now means the validator changed under it.
  if (!result.ok) throw new Error(`stored definition no longer valid: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return result.value;
}

export async function specOfVersion(tx: Tx, versionId: number): Promise<WorkflowSpec> {
  const hit = cache.get(versionId);
  if (hit) return hit;
  const row = await tx.workflowVersion.findUniqueOrThrow({ where: { id: versionId }, select: { definition: true } });
  const spec = compileStored(row.definition);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(versionId, spec);
  return spec;
}
