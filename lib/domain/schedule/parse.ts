// Parsing a 5-field Vixie/ISC cron expression (or a macro) into sets of allowed values.
// Every problem names the field, quotes the text and says what to write instead.

import type { Problem, Result } from '../types';
import { DAY_OF_WEEK, FIELDS, MACROS, type FieldSpec } from './fields';

export interface CronExpr {
  /** The expression as given (trimmed), e.g. `@daily` or `0 2 * * 1-5`. */
  readonly source: string;
  /** The five field texts after macro expansion: minute hour day-of-month month day-of-week. */
  readonly fields: readonly string[];
  /** Allowed values; each set iterates in ascending order. */
  readonly minutes: ReadonlySet<number>; // 0-59
  readonly hours: ReadonlySet<number>; // 0-23
  readonly daysOfMonth: ReadonlySet<number>; // 1-31
  readonly months: ReadonlySet<number>; // 1-12
  readonly daysOfWeek: ReadonlySet<number>; // 0-6, 0 = Sunday (7 is folded onto 0)
  /** Neither the minute nor the hour field starts with `*`: daylight-saving rules for fixed-time jobs apply. */
  readonly fixedTime: boolean;
  /** The day-of-month field does not start with `*`. */
  readonly domRestricted: boolean;
  /** The day-of-week field does not start with `*`. */
  readonly dowRestricted: boolean;
}

const PATH = 'schedule.cron';
const SHAPE = '5 fields (minute hour day-of-month month day-of-week) or a macro such as @daily';
// One list element: `*` or a value or a range, then an optional step. Anything else is refused.
const ELEMENT = /^(\*|[0-9a-z]+)(?:-([0-9a-z]+))?(?:\/(.*))?$/i;

export function parseCron(expr: string): Result<CronExpr> {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return fail(`cron expression is empty: expected ${SHAPE}`);
  }
  const source = expr.trim();
  let texts: string[];
  if (source.startsWith('@')) {
    const expansion = MACROS[source.toLowerCase()];
    if (expansion === undefined) {
      return fail(`unknown macro '${source}': use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly`);
    }
    texts = expansion.split(' ');
  } else {
    texts = source.split(/\s+/);
    if (texts.length !== 5) {
      const hint = texts.length > 5 ? ' (seconds and year fields are not supported)' : '';
      return fail(`expected ${SHAPE}, got ${texts.length} field${texts.length === 1 ? '' : 's'}${hint}`);
    }
  }

  const problems: Problem[] = [];
  const sets = FIELDS.map((spec, i) => {
    const r = parseField(spec, texts[i]);
    if (typeof r === 'string') problems.push({ path: PATH, message: `${spec.label} field '${texts[i]}': ${r}` });
    return r;
  });
  if (problems.length > 0) return { ok: false, problems };
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as Set<number>[];
  return {
    ok: true,
    value: {
      source,
      fields: texts,
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      fixedTime: !texts[0].startsWith('*') && !texts[1].startsWith('*'),
      domRestricted: !texts[2].startsWith('*'),
      dowRestricted: !texts[4].startsWith('*'),
    },
  };
}

function fail(message: string): Result<CronExpr> {
  return { ok: false, problems: [{ path: PATH, message }] };
}

/** The allowed values (ascending), or a message saying what is wrong. */
function parseField(spec: FieldSpec, text: string): Set<number> | string {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  for (const element of text.split(',')) {
    const err = parseElement(spec, element, allowed);
    if (err) return err;
  }
  // Day-of-week 7 is Sunday, like 0.
  if (spec === DAY_OF_WEEK && allowed[7]) allowed[0] = true;
  const values = new Set<number>();
  const top = spec === DAY_OF_WEEK ? 6 : spec.max;
  for (let v = spec.min; v <= top; v++) if (allowed[v]) values.add(v);
  return values;
}

function parseElement(spec: FieldSpec, element: string, allowed: boolean[]): string | null {
  if (element === '') return "empty list element: remove the extra ','";
  if (element === '?') return "'?' is not supported: use '*'";
  const m = ELEMENT.exec(element);
  if (!m) {
    return `'${element}' is not valid: use a value, a range a-b, a step */n, a-b/n or a/n, or a list of those separated by ','`;
  }
  const [, first, second, stepText] = m;
  let low: number;
  let high: number;
  if (first === '*') {
    if (second !== undefined) return `'${element}' is not valid: '*' cannot start a range, use '*' or a-b`;
    low = spec.min;
    high = spec.max;
  } else {
    const a = parseValue(spec, first);
    if (typeof a === 'string') return a;
    low = a;
    if (second !== undefined) {
      const b = parseValue(spec, second);
      if (typeof b === 'string') return b;
      if (b < a) {
        return `range '${first}-${second}' is reversed: write the lower value first; for a range that wraps around use a list, e.g. '${first}-${spec.max},${spec.min}-${second}'`;
      }
      high = b;
    } else {
      // `a/n` means a, a+n, … up to the end of the field (cronie); a plain `a` is just a.
      high = stepText === undefined ? a : spec.max;
    }
  }

  let step = 1;
  if (stepText !== undefined) {
    if (!/^[0-9]+$/.test(stepText)) return `step '/${stepText}' is not valid: a step is a whole number, e.g. '*/5'`;
    step = Number(stepText);
    if (step === 0) return `step '/0' is not valid: a step must be at least 1`;
    if (step > spec.max) return `step '/${stepText}' is too large: steps must be 1-${spec.max}`;
  }
  for (let v = low; v <= high; v += step) allowed[v] = true;
  return null;
}

function parseValue(spec: FieldSpec, text: string): number | string {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) return `'${text}' is out of range: values must be ${spec.allowed}`;
    return n;
  }
  const i = spec.names.indexOf(text.toLowerCase());
  if (i >= 0) return spec.min + i;
  return spec.names.length > 0
    ? `'${text}' is not a number or a name: values must be ${spec.allowed}`
    : `'${text}' is not a number: values must be ${spec.allowed}`;
}
