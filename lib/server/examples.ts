// The shipped examples (examples/*.yaml), loaded on first start as the site admin. Nested
// workflows must be saved before the workflows that nest them, so files are saved in
// containment order.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDefinitionText } from '../domain/definition';
import type { Principal } from './auth/principal';
import type { Database } from './db/client';
import { saveWorkflow } from './workflows';

export const EXAMPLES_SETTING = 'examples.loaded';

interface ExampleFile {
  file: string;
  name: string;
  value: unknown;
  nests: string[];
}

function readExamples(dir: string): ExampleFile[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => {
      const parsed = parseDefinitionText(readFileSync(path.join(dir, f), 'utf8'), f.endsWith('.json') ? 'json' : 'yaml');
      if (!parsed.ok) throw new Error(`examples/${f}: ${parsed.problems.map((p) => p.message).join('; ')}`);
      const value = parsed.value as { name?: string; jobs?: Record<string, { workflow?: string }> };
      const name = value.name ?? f.replace(/\.[^.]+$/, '');
      const nests = Object.values(value.jobs ?? {}).flatMap((j) => (j && typeof j.workflow === 'string' ? [j.workflow] : []));
      return { file: f, name, value, nests };
    });
}

/** Saves every example once per database; returns the names saved (none after the first start). */
export async function loadExamplesOnce(db: Database, admin: Principal, dir: string, now: number): Promise<string[]> {
  const mark = await db.prisma.setting.findUnique({ where: { key: EXAMPLES_SETTING } });
  if (mark) return [];
  const pending = readExamples(dir);
  const saved = new Set<string>();
  const order: ExampleFile[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((e) => e.nests.every((n) => saved.has(n) || !pending.some((p) => p.name === n)));
    if (i < 0) throw new Error(`examples nest each other in a cycle: ${pending.map((p) => p.name).join(', ')}`);
    const [next] = pending.splice(i, 1);
    saved.add(next.name);
    order.push(next);
  }
  for (const e of order) await saveWorkflow(db, admin, e.name, e.value, now);
  await db.prisma.setting.create({ data: { key: EXAMPLES_SETTING, value: new Date(now).toISOString() } });
  return order.map((e) => e.name);
}
