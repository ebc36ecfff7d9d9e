// `course executor`: run an executor agent here. The agent is executor/main.ts (its own module,
// which owns its flags and help, --url and --token included); it is loaded only for this command,
// so the client commands stay quick to start.

import type { Command } from '../command';
import { CliError, EXIT } from '../errors';

type AgentModule = { runExecutorCommand?: (argv: string[]) => Promise<number | void> };

export const executor: Command = {
  name: 'executor',
  summary: 'run an executor on this machine: it claims and runs jobs until stopped',
  usage: '[--capacity N] [--label L]… [--name NAME]',
  flags: [],
  passThrough: true,
  run: (ctx) => runExecutor(ctx.args.positionals),
};

/** Hands the arguments, untouched, to the agent; resolves with its exit code. */
export async function runExecutor(argv: string[]): Promise<number> {
  let mod: AgentModule;
  try {
    mod = (await import('../../executor/main')) as AgentModule;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_MODULE_NOT_FOUND' && /executor[\\/]main/.test(err.message ?? '')) {
      throw new CliError('the executor is not part of this installation (executor/main.ts is missing)');
    }
    throw e;
  }
  if (typeof mod.runExecutorCommand !== 'function') throw new CliError('executor/main.ts does not export runExecutorCommand');
  const code = await mod.runExecutorCommand(argv);
  // The agent answers 2 for bad arguments; `course` says 64 for those (2 is "run cancelled").
  if (code === 2) return EXIT.usage;
  return typeof code === 'number' ? code : EXIT.ok;
}
