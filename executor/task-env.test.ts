import { describe, expect, it } from 'vitest';
import { buildTaskEnv, FALLBACK_PATH } from './task-env.ts';

describe('buildTaskEnv', () => {
  it('takes only PATH, HOME, LANG, TMPDIR from the executor, then the task env on top', () => {
    const env = buildTaskEnv(
      { PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', TMPDIR: '/t', COURSE_TOKEN: 'secret', SHELL: '/bin/zsh' },
      { COURSE_RUN_ID: '7', LANG: 'de_DE.UTF-8' },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', LANG: 'de_DE.UTF-8', TMPDIR: '/t', COURSE_RUN_ID: '7' });
  });

  it('gives a usable PATH when the executor has none', () => {
    expect(buildTaskEnv({}, {})).toEqual({ PATH: FALLBACK_PATH });
  });
});
