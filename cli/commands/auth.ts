// `course token`: trade a username and password for an API token (POST /auth/token).

import { readFileSync } from 'node:fs';
import { boolFlag, positionals, stringFlag } from '../args';
import type { Command } from '../command';
import { EXIT, UsageError } from '../errors';
import { formatTime } from '../format';
import { askHidden, askLine, canPrompt } from '../prompt';

interface TokenAnswer {
  token: string;
  expiresAt: string | null;
}

export const token: Command = {
  name: 'token',
  summary: 'get an API token for a user (asks for the password on the terminal)',
  usage: '[--username NAME] [--password-stdin]',
  flags: [
    { name: 'username', short: 'u', kind: 'string', value: 'NAME', help: 'the user (default $COURSE_USERNAME, else asked)' },
    { name: 'password', kind: 'string', value: 'PASSWORD', help: 'the password (default $COURSE_PASSWORD, else asked); visible to other users in ps' },
    { name: 'password-stdin', kind: 'boolean', help: 'read the password from the first line of stdin' },
  ],
  more: [
    'Prints the token alone on stdout, and when it expires on stderr, so that',
    '  export COURSE_TOKEN=$(course token)',
    'works as it should.',
  ].join('\n'),
  async run(ctx) {
    positionals(ctx.args, [], 'token');
    // A wrong address should be said before anyone types a password.
    const client = ctx.client();
    const username = stringFlag(ctx.args, 'username') ?? ctx.io.env.COURSE_USERNAME ?? (await ask('username: ', askLine, 'username', '--username'));
    let password = stringFlag(ctx.args, 'password') ?? ctx.io.env.COURSE_PASSWORD;
    if (boolFlag(ctx.args, 'password-stdin')) password = readFileSync(0, 'utf8').split(/\r?\n/)[0];
    password ??= await ask(`password for ${username}: `, askHidden, 'password', '--password-stdin');
    if (!username) throw new UsageError('the username is empty', 'token');

    const { body } = await client.request<TokenAnswer>('POST', '/auth/token', { json: { username, password }, noAuthAdvice: true });
    ctx.io.out(`${body.token}\n`);
    ctx.io.err(`token for ${username}, expires ${body.expiresAt ? `${formatTime(body.expiresAt)} (${body.expiresAt})` : 'never'}\n`);
    return EXIT.ok;
  },
};

async function ask(question: string, how: (q: string) => Promise<string>, what: string, flag: string): Promise<string> {
  if (!canPrompt()) {
    throw new UsageError(`no ${what}: pass ${flag} or set COURSE_${what.toUpperCase()}, or run on a terminal to be asked`, 'token');
  }
  return how(question);
}
