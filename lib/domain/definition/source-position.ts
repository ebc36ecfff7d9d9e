// Turning offsets in a definition's text into "line L, column C" for people. Lines and columns
// count from 1, as editors show them.

export interface Position {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function describePosition(p: Position): string {
  return `line ${p.line}, column ${p.column}`;
}

/** Joins a dotted path: list items by their index (`notify.onFailure.0.webhook`), like zod's paths. */
export function joinPath(base: string, key: string | number): string {
  return base === '' ? String(key) : `${base}.${key}`;
}
