// Names that become environment variables of tasks: a job's `env` and the workflow's `params`.

import type { Problem } from '../types';
import { RESERVED_VARIABLES_TEXT, reservedVariable, VARIABLE_NAME, VARIABLE_NAME_RULE } from './names';
import { isGiven, isRawObject, show, toEnvText } from './read';
import { joinPath } from './source-position';

/** A problem for `name` used as `what` (`env`, `param`), or null when the name is fine. */
export function variableNameProblem(name: string, what: string, path: string): Problem | null {
  if (!VARIABLE_NAME.test(name)) return { path, message: `${what} name '${name}' is not valid: ${VARIABLE_NAME_RULE}` };
  if (reservedVariable(name)) {
    return { path, message: `${what} name '${name}' is reserved (${RESERVED_VARIABLES_TEXT}); choose another name` };
  }
  return null;
}

/** `env: { NAME: value }` with text values (numbers and booleans written as text). */
export function readVariables(value: unknown, path: string, what: string, problems: Problem[]): Record<string, string> {
  const vars: Record<string, string> = {};
  if (!isGiven(value)) return vars;
  if (!isRawObject(value)) {
    problems.push({ path, message: `${what} must be a mapping of NAME: value; got ${show(value)}` });
    return vars;
  }
  for (const [name, raw] of Object.entries(value)) {
    const at = joinPath(path, name);
    const nameProblem = variableNameProblem(name, what, at);
    if (nameProblem) {
      problems.push(nameProblem);
      continue;
    }
    const text = toEnvText(raw);
    if (text === undefined) {
      problems.push({ path: at, message: `${what} value for '${name}' must be text (numbers and true/false are taken as text); got ${show(raw)}` });
      continue;
    }
    vars[name] = text;
  }
  return vars;
}
