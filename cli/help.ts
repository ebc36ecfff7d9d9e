// Help texts, generated from the command specs so they cannot drift from what is parsed.

import { GLOBAL_FLAGS, type FlagSpec } from './args';
import type { Command } from './command';

function flagLines(flags: FlagSpec[]): string[] {
  const left = flags.map((f) => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}${f.kind === 'list' ? '…' : ''}`);
  const width = Math.max(...left.map((l) => l.length));
  return flags.map((f, i) => `  ${left[i].padEnd(width)}  ${f.help}`);
}

export function generalHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'course: the command-line client of Course, a workflow manager',
    '',
    'Usage: course [--url URL] [--token TOKEN] COMMAND [ARGS]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options (before or after the command):',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Environment: COURSE_URL, COURSE_TOKEN (the options above override them).',
    'Exit codes: 0 done, 1 failed (or the run failed, with --wait), 2 the run was cancelled',
    '(with --wait), 64 bad arguments, 130 interrupted.',
    '',
    'Run `course help COMMAND` or `course COMMAND --help` for a command\'s options.',
    '',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return [
    `Usage: course ${c.name}${c.usage ? ` ${c.usage}` : ''}`,
    '',
    c.summary,
    '',
    ...(c.flags.length > 0 ? ['Options:', ...flagLines(c.flags), ''] : []),
    ...(c.more ? [c.more.trimEnd(), ''] : []),
    'Global options: --url URL, --token TOKEN (or COURSE_URL, COURSE_TOKEN).',
    '',
  ].join('\n');
}
