// The `course` process: `npm run course -- COMMAND` (tsx cli/main.ts) or `course` (bin.mjs).
import { runCli } from './cli';
import type { Io } from './command';

// `course logs … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  outBytes: (bytes) =>
    new Promise<void>((resolve, reject) => {
      process.stdout.write(bytes, (e) => (e ? reject(e) : resolve()));
    }),
  env: process.env,
};

process.exitCode = await runCli(process.argv.slice(2), io);
