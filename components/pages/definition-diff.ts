// What changed between two versions of a workflow definition, in words: jobs added and removed,
// and per job (and for the workflow's own keys) which keys changed, from what to what. Pure.

export type Change =
  | { kind: 'job-added'; job: string; value: unknown }
  | { kind: 'job-removed'; job: string; value: unknown }
  | { kind: 'job-changed'; job: string; key: string; before: unknown; after: unknown }
  | { kind: 'key-changed'; key: string; before: unknown; after: unknown };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Equal as JSON values, key order ignored. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

function keysOf(a: Obj, b: Obj): string[] {
  const out = [...Object.keys(a)];
  for (const k of Object.keys(b)) if (!out.includes(k)) out.push(k);
  return out;
}

/** The changes from `before` to `after` (two stored definitions); [] when they are equal. */
export function diffDefinitions(before: unknown, after: unknown): Change[] {
  const a = isObj(before) ? before : {};
  const b = isObj(after) ? after : {};
  const changes: Change[] = [];
  for (const key of keysOf(a, b)) {
    if (key === 'jobs') continue;
    if (!sameValue(a[key], b[key])) changes.push({ kind: 'key-changed', key, before: a[key], after: b[key] });
  }
  const ja = isObj(a.jobs) ? a.jobs : {};
  const jb = isObj(b.jobs) ? b.jobs : {};
  for (const job of keysOf(ja, jb)) {
    if (!(job in jb)) changes.push({ kind: 'job-removed', job, value: ja[job] });
    else if (!(job in ja)) changes.push({ kind: 'job-added', job, value: jb[job] });
    else {
      const x = isObj(ja[job]) ? (ja[job] as Obj) : {};
      const y = isObj(jb[job]) ? (jb[job] as Obj) : {};
      for (const key of keysOf(x, y)) {
        if (!sameValue(x[key], y[key])) changes.push({ kind: 'job-changed', job, key, before: x[key], after: y[key] });
      }
    }
  }
  return changes;
}

/** A value as short text: `"x"` → x, arrays and objects as compact JSON, absent as `(none)`. */
export function showValue(v: unknown, max = 120): string {
  if (v === undefined || v === null) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per change, e.g. `job transform: command changed from "a" to "b"`. */
export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'job-added':
      return `job ${c.job} added`;
    case 'job-removed':
      return `job ${c.job} removed`;
    case 'job-changed':
      if (c.before === undefined) return `job ${c.job}: ${c.key} set to ${showValue(c.after)}`;
      if (c.after === undefined) return `job ${c.job}: ${c.key} removed (was ${showValue(c.before)})`;
      return `job ${c.job}: ${c.key} changed from ${showValue(c.before)} to ${showValue(c.after)}`;
    case 'key-changed':
      if (c.before === undefined) return `${c.key} set to ${showValue(c.after)}`;
      if (c.after === undefined) return `${c.key} removed (was ${showValue(c.before)})`;
      return `${c.key} changed from ${showValue(c.before)} to ${showValue(c.after)}`;
  }
}
