// The name rules of CONTRACT.md ("Definitions"), with messages that say what a valid name is.

export const WORKFLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const JOB_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Params and env reach tasks as environment variables, hence shell-variable names. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const WORKFLOW_NAME_RULE = "use 1 to 100 letters, digits, '_', '.' or '-', starting with a letter or digit";
export const JOB_NAME_RULE = "use 1 to 64 letters, digits, '_' or '-'";
export const VARIABLE_NAME_RULE = "use letters, digits and '_', not starting with a digit";

/**
 * `__proto__` matches the patterns, but as a key of the records the rest of Course builds it would
 * replace the object's prototype instead of adding an entry; it is refused wherever a name becomes
 * a key.
 */
export const PROTO_KEY = '__proto__';

/**
 * Variables a param or env entry may not set: the ones the shell and the dynamic linker rely on,
 * and Course's own (COURSE_RUN_ID, …), which a task must be able to trust. Case-sensitive, as
 * environment variables are on the executors' systems.
 */
export function reservedVariable(name: string): boolean {
  return (
    name === 'PATH' ||
    name === 'HOME' ||
    name === 'SHELL' ||
    name.startsWith('LD_') ||
    name.startsWith('COURSE_') ||
    name === PROTO_KEY
  );
}

export const RESERVED_VARIABLES_TEXT = 'PATH, HOME, SHELL, LD_* and COURSE_* are reserved';
