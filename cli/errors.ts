// Errors the CLI turns into one readable message and an exit code (see EXIT in help.ts).
// Anything else that escapes a command is a bug and is shown with its stack.

export const EXIT = {
  ok: 0,
  /** The command failed: an API error, an unreachable server, or (run --wait) a failed run. */
  failure: 1,
  /** run --wait / rerun --wait: the run was cancelled. */
  cancelled: 2,
  /** Bad flags or arguments (sysexits' EX_USAGE, apart from the run outcomes above). */
  usage: 64,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    /** Extra lines printed under the message, e.g. each problem of a refused definition. */
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, readonly command?: string) {
    super(message, EXIT.usage);
  }
}
