// What every command is: its flags and help (so help and parsing never disagree) and a run
// function that gets a context and returns the exit code.

import type { FlagSpec, ParsedArgs } from './args';
import type { Client } from './http';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Raw bytes to stdout, resolving once written (back-pressure for streamed logs). */
  outBytes(bytes: Uint8Array): Promise<void>;
  env: Record<string, string | undefined>;
}

export interface Context {
  args: ParsedArgs;
  io: Io;
  /** Made on first use, so `help` and usage errors never need a valid URL. */
  client(): Client;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** After `course NAME`, e.g. `WORKFLOW [--param K=V]… [--wait]`. */
  usage: string;
  flags: FlagSpec[];
  /** Gets its arguments unparsed, as `args.positionals`, and owns their help (the executor agent). */
  passThrough?: boolean;
  /** Paragraphs under the flags: exit codes, examples. */
  more?: string;
  run(ctx: Context): Promise<number>;
}
