// Definition files for `course apply`: reading them (files, directories, stdin), telling YAML
// from JSON, and saving them in an order the server accepts. Only the syntax is checked here
// (to learn the name); what the definition means is the server's call, so a client and a server
// of different versions never disagree about validity.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDefinitionText } from '../lib/domain/definition/text';
import { CliError } from './errors';

export type Format = 'yaml' | 'json';

export interface DefinitionFile {
  /** As the user named it ('-' for stdin). */
  source: string;
  text: string;
  format: Format;
}

export interface ParsedDefinition extends DefinitionFile {
  name: string;
  /** Workflows this one nests (`workflow:` jobs). */
  nests: string[];
}

export const CONTENT_TYPES: Record<Format, string> = { yaml: 'application/yaml', json: 'application/json' };
const EXTENSIONS: Record<string, Format> = { '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json' };

/** By extension; otherwise JSON when the text starts like a JSON object, else YAML. */
export function detectFormat(source: string, text: string): Format {
  const byExt = EXTENSIONS[path.extname(source).toLowerCase()];
  if (byExt) return byExt;
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Files and directories (their *.yaml, *.yml, *.json, sorted) into definition files. */
export function readDefinitionFiles(sources: string[], readStdin: () => string): DefinitionFile[] {
  const files: DefinitionFile[] = [];
  for (const source of sources) {
    if (source === '-') {
      const text = readStdin();
      files.push({ source, text, format: detectFormat(source, text) });
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(source).isDirectory();
    } catch {
      throw new CliError(`${source}: no such file or directory`);
    }
    const paths = isDir
      ? readdirSync(source)
          .filter((f) => EXTENSIONS[path.extname(f).toLowerCase()])
          .sort()
          .map((f) => path.join(source, f))
      : [source];
    if (isDir && paths.length === 0) throw new CliError(`${source}: no .yaml, .yml or .json files in this directory`);
    for (const p of paths) {
      const text = readFileSync(p, 'utf8');
      files.push({ source: p, text, format: detectFormat(p, text) });
    }
  }
  return files;
}

/** The name and nested workflows of a definition, or the syntax problems that hide them. */
export function readDefinition(file: DefinitionFile): { ok: true; def: ParsedDefinition } | { ok: false; lines: string[] } {
  const parsed = parseDefinitionText(file.text, file.format);
  if (!parsed.ok) return { ok: false, lines: parsed.problems.map((p) => `  ${p.path ? `${p.path}: ` : ''}${p.message}`) };
  const raw = parsed.value as { name?: unknown; jobs?: unknown } | null;
  const name = raw && typeof raw === 'object' ? raw.name : undefined;
  if (typeof name !== 'string' || name === '') {
    return { ok: false, lines: ['  name: the file has no name; add `name: my-workflow` (it is the name the workflow is saved under)'] };
  }
  const nests: string[] = [];
  if (raw && typeof raw.jobs === 'object' && raw.jobs !== null) {
    for (const job of Object.values(raw.jobs as Record<string, unknown>)) {
      const w = (job as { workflow?: unknown } | null)?.workflow;
      if (typeof w === 'string' && !nests.includes(w)) nests.push(w);
    }
  }
  return { ok: true, def: { ...file, name, nests } };
}

/**
 * Nested workflows first: the server refuses a `workflow:` job naming a workflow not saved yet.
 * Otherwise the given order is kept. A containment cycle is left as it is (the server refuses it
 * with the cycle's path, which says more than we could).
 */
export function applyOrder<T extends { name: string; nests: string[] }>(defs: T[]): T[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const placed = new Set<T>();
  const visiting = new Set<T>();
  const order: T[] = [];
  const visit = (d: T) => {
    if (placed.has(d) || visiting.has(d)) return;
    visiting.add(d);
    for (const n of d.nests) {
      const dep = byName.get(n);
      if (dep) visit(dep);
    }
    visiting.delete(d);
    placed.add(d);
    order.push(d);
  };
  defs.forEach(visit);
  return order;
}
