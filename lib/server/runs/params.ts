// A run's params: what the trigger gave, checked against the workflow's `params` and completed
// with their defaults. They reach tasks as environment variables only (CONTRACT.md).
import type { ParamSpec } from '../../domain/types';
import { ApiError } from '../errors';

export function resolveParams(declared: Record<string, ParamSpec>, given: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: { path: string; message: string }[] = [];
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!(name in declared)) {
      const known = Object.keys(declared);
      problems.push({ path: `params.${name}`, message: `unknown param '${name}'; ${known.length ? `this workflow takes ${known.join(', ')}` : 'this workflow takes no params'}` });
    } else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push({ path: `params.${name}`, message: `param '${name}' must be text; got ${JSON.stringify(value)}` });
    } else {
      out[name] = String(value);
    }
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (name in out) continue;
    if (spec.default !== undefined) out[name] = spec.default;
    else problems.push({ path: `params.${name}`, message: `param '${name}' is required (it has no default): pass it, e.g. --param ${name}=VALUE` });
  }
  if (problems.length > 0) throw new ApiError(422, 'invalid_params', problems[0].message, problems);
  return out;
}
