// Command-line parsing: `--flag value`, `--flag=value`, `-f value`, repeatable flags and `--`.
// Our own small parser rather than node:util's parseArgs so that global flags (--url, --token)
// may stand anywhere and every mistake gets a message that names the command.

import { UsageError } from './errors';

export type FlagKind = 'string' | 'boolean' | 'list';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  help: string;
}

export type FlagValue = string | boolean | string[];

export interface ParsedArgs {
  flags: Record<string, FlagValue | undefined>;
  positionals: string[];
}

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'url', kind: 'string', value: 'URL', help: 'server address (default $COURSE_URL, else http://localhost:3000)' },
  { name: 'token', kind: 'string', value: 'TOKEN', help: 'API token (default $COURSE_TOKEN; get one with `course token`)' },
  { name: 'help', short: 'h', kind: 'boolean', help: 'show help' },
];

/** Parses `argv` against `specs`; `command` only makes messages clearer. Throws UsageError. */
export function parseArgs(argv: string[], specs: FlagSpec[], command = ''): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  const where = command ? ` for \`course ${command}\`` : '';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone "-" is a positional (stdin, by convention).
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg : arg.slice(0, eq);
    const spec = key.startsWith('--') ? specs.find((s) => s.name === key.slice(2)) : specs.find((s) => s.short !== undefined && `-${s.short}` === key);
    if (!spec) throw new UsageError(`unknown option ${key}${where}`, command);
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`option --${spec.name} takes no value`, command);
      flags[spec.name] = true;
      continue;
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`option --${spec.name} needs a value${spec.value ? ` (${spec.value})` : ''}`, command);
    if (spec.kind === 'list') {
      const list = (flags[spec.name] as string[] | undefined) ?? [];
      list.push(value);
      flags[spec.name] = list;
    } else {
      flags[spec.name] = value;
    }
  }
  return { flags, positionals };
}

/**
 * Splits `course [global flags] COMMAND [args]`: the command is the first argument that is
 * neither a global flag nor a global flag's value. `rest` keeps everything else, in order, for the
 * command's own parse (which knows the global flags too, so they may also follow the command).
 */
export function splitCommand(argv: string[]): { command: string | undefined; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (!arg.startsWith('-')) return { command: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    const spec = GLOBAL_FLAGS.find((s) => `--${s.name}` === arg || (s.short !== undefined && `-${s.short}` === arg));
    // A value-taking global flag written as `--url X` also consumes X.
    if (spec && spec.kind !== 'boolean' && !arg.includes('=')) i++;
  }
  return { command: undefined, rest: argv };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : [];
}

/** A whole number ≥ min from a flag, or undefined when the flag is absent. */
export function intFlag(args: ParsedArgs, name: string, min = 1, command = ''): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`--${name} must be a whole number of ${min} or more; got '${v}'`, command);
  }
  return Number(v);
}

/** `--param K=V` pairs into an object; the first '=' splits, so values may contain '='. */
export function parseParams(pairs: string[], command = ''): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param must be NAME=VALUE; got '${pair}'`, command);
    const name = pair.slice(0, eq);
    if (Object.hasOwn(params, name)) throw new UsageError(`--param ${name} is given twice`, command);
    params[name] = pair.slice(eq + 1);
  }
  return params;
}

/** Exactly `names.length` positionals, named in the message when missing or extra. */
export function positionals(args: ParsedArgs, names: string[], command: string): string[] {
  const got = args.positionals;
  if (got.length < names.length) throw new UsageError(`missing ${names.slice(got.length).join(' ')}: course ${command} ${names.join(' ')}`, command);
  if (got.length > names.length) throw new UsageError(`unexpected argument '${got[names.length]}' for \`course ${command}\``, command);
  return got;
}
