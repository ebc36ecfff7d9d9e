// The example workflows of this directory, read and validated the way the server does, in the
// order they can be saved (a nested workflow before the workflows that use it). For the tests
// here and for whatever loads the examples on first start.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDefinitionText, validateDefinition } from '../lib/domain/definition/index';
import type { Problem, WorkflowSpec } from '../lib/domain/types';

export const EXAMPLES_DIR = import.meta.dirname;

export interface Example {
  file: string;
  text: string;
  spec: WorkflowSpec;
}

/** Throws with every problem of every file, so one look fixes them all. */
export function loadExamples(dir = EXAMPLES_DIR): Example[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const examples: Example[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const parsed = parseDefinitionText(text, 'yaml');
    const valid = parsed.ok ? validateDefinition(parsed.value) : parsed;
    if (valid.ok) examples.push({ file, text, spec: valid.value });
    else problems.push(...valid.problems.map((p: Problem) => `${file}: ${p.path || '(top)'}: ${p.message}`));
  }
  if (problems.length > 0) throw new Error(`invalid examples:\n${problems.join('\n')}`);
  return saveOrder(examples);
}

/** The workflows a workflow nests (its `workflow:` jobs). */
export function nestedWorkflows(spec: WorkflowSpec): string[] {
  return [...new Set(Object.values(spec.jobs).flatMap((j) => (j.workflow ? [j.workflow] : [])))];
}

/** Nested first; throws on a name nested but not among the examples, or a containment cycle. */
export function saveOrder(examples: Example[]): Example[] {
  const byName = new Map(examples.map((e) => [e.spec.name, e]));
  const order: Example[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (e: Example, trail: string[]) => {
    const name = e.spec.name;
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`containment cycle: ${[...trail, name].join(' → ')}`);
    state.set(name, 'visiting');
    for (const child of nestedWorkflows(e.spec)) {
      const nested = byName.get(child);
      if (!nested) throw new Error(`${e.file}: nests workflow '${child}', which is not among the examples`);
      visit(nested, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(e);
  };
  for (const e of examples) visit(e, []);
  return order;
}
