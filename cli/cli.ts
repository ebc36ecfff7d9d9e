// `course`: finds the command, parses its arguments, runs it, and turns every error into a
// message on stderr and an exit code. Importable (main.ts is the process entry).

import { readFileSync } from 'node:fs';
import { GLOBAL_FLAGS, parseArgs, splitCommand, stringFlag } from './args';
import type { Command, Context, Io } from './command';
import { token } from './commands/auth';
import { executor } from './commands/executor';
import { logs } from './commands/logs';
import { cancel, rerun, run, runs, status } from './commands/runs';
import { apply } from './commands/workflows';
import { CliError, EXIT, UsageError } from './errors';
import { commandHelp, generalHelp } from './help';
import { Client, DEFAULT_URL } from './http';

export const COMMANDS: Command[] = [apply, run, runs, status, logs, cancel, rerun, token, executor];

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err([`course: ${e.message}`, ...e.lines, ''].join('\n'));
      if (e instanceof UsageError) io.err(`Run \`course ${e.command ? `${e.command} ` : ''}--help\` for usage.\n`);
      return e.exitCode;
    }
    throw e;
  }
}

function unused(): never {
  throw new Error('a pass-through command makes its own connection');
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const { command: name, rest } = splitCommand(argv);
  if (name === undefined) {
    if (rest.includes('--version')) {
      io.out(`${version()}\n`);
      return EXIT.ok;
    }
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    (wantsHelp ? io.out : io.err)(generalHelp(COMMANDS));
    return wantsHelp ? EXIT.ok : EXIT.usage;
  }
  if (name === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    const c = topic ? find(topic) : undefined;
    if (topic && !c) throw new UsageError(`no command '${topic}'; commands: ${COMMANDS.map((x) => x.name).join(', ')}`);
    if (c?.passThrough) return c.run({ args: { flags: {}, positionals: ['--help'] }, io, client: () => unused() });
    io.out(c ? commandHelp(c) : generalHelp(COMMANDS));
    return EXIT.ok;
  }
  const command = find(name);
  if (!command) throw new UsageError(`unknown command '${name}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);

  // The executor agent owns its flags and help (--url and --token included).
  if (command.passThrough) return command.run({ args: { flags: {}, positionals: rest }, io, client: () => unused() });

  const args = parseArgs(rest, [...GLOBAL_FLAGS, ...command.flags], name);
  if (args.flags.help) {
    io.out(commandHelp(command));
    return EXIT.ok;
  }
  let client: Client | undefined;
  const ctx: Context = {
    args,
    io,
    client: () =>
      (client ??= new Client({
        // An empty variable counts as unset, as shells treat `COURSE_URL= course …`.
        url: stringFlag(args, 'url') ?? (io.env.COURSE_URL || DEFAULT_URL),
        token: stringFlag(args, 'token') ?? (io.env.COURSE_TOKEN || undefined),
      })),
  };
  return command.run(ctx);
}
