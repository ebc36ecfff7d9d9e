// Small readers shared by the validators: each reads one field, pushes a problem that says what
// to fix when the field is wrong, and returns the compiled value (or undefined).
//
// A key whose value is null counts as absent: in YAML `description:` with nothing after it is
// null, and people write that meaning "none".

import { parseDuration } from '../duration';
import type { Problem } from '../types';
import { joinPath } from './source-position';

export type RawObject = Record<string, unknown>;

export function isRawObject(v: unknown): v is RawObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isGiven(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A short picture of a wrong value for messages: strings quoted, collections by kind. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (isRawObject(v)) return 'a mapping';
  return String(v);
}

/** `where` completes "unknown key 'x' …": "at top level", "in job 'build'", … */
export function refuseUnknownKeys(
  obj: RawObject,
  allowed: readonly string[],
  where: string,
  path: string,
  problems: Problem[],
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      problems.push({ path: joinPath(path, key), message: `unknown key '${key}' ${where}; allowed: ${allowed.join(', ')}` });
    }
  }
}

export function readString(
  obj: RawObject,
  key: string,
  path: string,
  problems: Problem[],
  opts: { nonEmpty?: boolean; what?: string } = {},
): string | undefined {
  const v = obj[key];
  if (!isGiven(v)) return undefined;
  const what = opts.what ?? key;
  if (typeof v !== 'string') {
    problems.push({ path: joinPath(path, key), message: `${what} must be a string; got ${show(v)}` });
    return undefined;
  }
  if (opts.nonEmpty && v.trim() === '') {
    problems.push({ path: joinPath(path, key), message: `${what} must not be empty` });
    return undefined;
  }
  return v;
}

/**
 * A duration in milliseconds. `positive` refuses zero, for limits (a timeout of 0 would fail every
 * attempt at once); delays and grace periods may be zero.
 */
export function readDuration(
  obj: RawObject,
  key: string,
  path: string,
  problems: Problem[],
  opts: { positive?: boolean } = {},
): number | undefined {
  const v = obj[key];
  if (!isGiven(v)) return undefined;
  const ms = parseDuration(v);
  if (ms === null) {
    problems.push({
      path: joinPath(path, key),
      message: `${key} must be a duration such as '30s', '10m', '2h', '1d' or '1500ms', or a number of seconds; got ${show(v)}`,
    });
    return undefined;
  }
  if (opts.positive && ms === 0) {
    problems.push({ path: joinPath(path, key), message: `${key} must be greater than 0` });
    return undefined;
  }
  return ms;
}

export function readOneOf<T extends string>(
  obj: RawObject,
  key: string,
  choices: readonly T[],
  path: string,
  problems: Problem[],
): T | undefined {
  const v = obj[key];
  if (!isGiven(v)) return undefined;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    problems.push({ path: joinPath(path, key), message: `${key} must be one of ${choices.join(', ')}; got ${show(v)}` });
    return undefined;
  }
  return v as T;
}

export function readInteger(
  obj: RawObject,
  key: string,
  min: number,
  max: number,
  path: string,
  problems: Problem[],
): number | undefined {
  const v = obj[key];
  if (!isGiven(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    problems.push({ path: joinPath(path, key), message: `${key} must be a whole number ${range}; got ${show(v)}` });
    return undefined;
  }
  return v;
}

/**
 * A text value for the environment. Numbers and booleans are accepted and written as text, since
 * YAML reads `PORT: 8080` and `DEBUG: true` as such and the user clearly meant "8080" and "true".
 */
export function toEnvText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return undefined;
}
