// `course logs`: a job's output, as bytes (job output need not be UTF-8), streamed as it arrives.

import { boolFlag, intFlag, positionals } from '../args';
import type { Command } from '../command';
import { EXIT } from '../errors';

export const logs: Command = {
  name: 'logs',
  summary: "print a job's output (the latest attempt unless --attempt)",
  usage: 'RUN JOB [--attempt N] [--follow]',
  flags: [
    { name: 'attempt', short: 'a', kind: 'string', value: 'N', help: 'the output of attempt N (1 is the first)' },
    { name: 'follow', short: 'f', kind: 'boolean', help: 'keep printing output as it comes, until the attempt ends' },
  ],
  more: 'Example: course logs 42 ingest --follow',
  async run(ctx) {
    const [id, job] = positionals(ctx.args, ['RUN', 'JOB'], 'logs');
    const attempt = intFlag(ctx.args, 'attempt', 1, 'logs');
    const res = await ctx.client().stream(`/runs/${encodeURIComponent(id)}/jobs/${encodeURIComponent(job)}/output`, {
      attempt,
      follow: boolFlag(ctx.args, 'follow') ? 1 : undefined,
    });
    const reader = res.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      await ctx.io.outBytes(chunk.value);
    }
    return EXIT.ok;
  },
};
