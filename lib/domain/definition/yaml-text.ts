// Reading YAML definitions with the `yaml` package (YAML 1.2, core schema: `on`/`yes` stay text,
// no timestamps, no `<<` merge keys). The parser's own duplicate check only gives a position, so
// duplicates are found here by walking the syntax tree, which also gives the key's path.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem, Result } from '../types';
import { describePosition, joinPath } from './source-position';

export function parseYamlText(text: string): Result<unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return describePosition({ line, column: col });
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: '', message: `YAML syntax error at ${where(e.pos[0])}: ${e.message}` })),
    };
  }

  const problems: Problem[] = [];
  checkKeys(doc.contents, '', problems, where);
  if (problems.length > 0) return { ok: false, problems };

  try {
    // The default alias budget refuses "billion laughs" documents.
    return { ok: true, value: doc.toJS() };
  } catch (e) {
    return { ok: false, problems: [{ path: '', message: `YAML could not be read: ${(e as Error).message}` }] };
  }
}

/**
 * Refuses keys that repeat within one mapping (the object would silently keep the last one) and
 * keys that are not plain text (a JS object would stringify them).
 */
function checkKeys(node: unknown, path: string, problems: Problem[], where: (offset: number) => string): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const offset = keyNode?.range?.[0] ?? node.range?.[0] ?? 0;
      let key: string;
      if (keyNode === null || keyNode === undefined) key = '';
      else if (isScalar(keyNode)) key = keyNode.value === null ? '' : String(keyNode.value);
      else {
        problems.push({ path, message: `a key at ${where(offset)} is not plain text; use a simple name as the key` });
        continue;
      }
      const keyPath = joinPath(path, key);
      if (seen.has(key)) {
        problems.push({ path: keyPath, message: `duplicate key '${key}' at ${where(offset)}; each key may appear only once` });
      }
      seen.add(key);
      checkKeys(pair.value, keyPath, problems, where);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => checkKeys(item, joinPath(path, index), problems, where));
  }
  // Scalars hold no keys; an alias repeats a node already walked where its anchor stands.
}
