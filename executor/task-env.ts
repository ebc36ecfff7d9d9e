// The environment a task sees: a minimal base taken from the executor's own environment, then the
// task's environment (job env, params, COURSE_*) on top. Nothing else of the executor leaks in:
// its token, its own COURSE_* settings and whatever its shell exported stay out of user code.

/** Variables taken from the executor's environment when it has them. */
export const BASE_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'TMPDIR'] as const;

/** Used when the executor itself runs without PATH (a bare service manager, `env -i`). */
export const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function buildTaskEnv(
  executorEnv: Record<string, string | undefined>,
  taskEnv: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of BASE_ENV_KEYS) {
    const v = executorEnv[key];
    if (v !== undefined) env[key] = v;
  }
  if (env.PATH === undefined) env.PATH = FALLBACK_PATH;
  // The task's values win: a job may set LANG or extend PATH on purpose.
  for (const [k, v] of Object.entries(taskEnv)) env[k] = String(v);
  return env;
}
