// `course apply`: save definitions (PUT /workflows/{name}), nested workflows first.

import { readFileSync } from 'node:fs';
import { listFlag } from '../args';
import type { Command } from '../command';
import { applyOrder, CONTENT_TYPES, readDefinition, readDefinitionFiles, type ParsedDefinition } from '../definitions';
import { CliError, EXIT, UsageError } from '../errors';
import { ApiError } from '../http';

interface Saved {
  name: string;
  group?: string;
  version?: number;
}

export const apply: Command = {
  name: 'apply',
  summary: 'create or update workflows from definition files (YAML or JSON)',
  usage: '-f FILE|DIR|- [-f …]',
  flags: [{ name: 'file', short: 'f', kind: 'list', value: 'FILE', help: 'a definition file, a directory of them, or - for stdin' }],
  more: [
    'The workflow is saved under the `name` in the file. Files ending in .json are sent as JSON,',
    '.yaml/.yml as YAML; others (and stdin) by their content. From a directory, every *.yaml,',
    '*.yml and *.json is applied, nested workflows before the workflows that use them.',
    'A refused definition is shown with each problem as `path: message`; the others are still',
    'applied, and the exit code is 1.',
    '',
    'Example: course apply -f examples/',
  ].join('\n'),
  async run(ctx) {
    const sources = listFlag(ctx.args, 'file');
    if (sources.length === 0) throw new UsageError('apply needs -f FILE (a definition file, a directory, or - for stdin)', 'apply');
    if (ctx.args.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.args.positionals[0]}'; write -f ${ctx.args.positionals[0]}`, 'apply');

    const files = readDefinitionFiles(sources, () => readFileSync(0, 'utf8'));
    let failed = 0;
    const defs: ParsedDefinition[] = [];
    for (const file of files) {
      const r = readDefinition(file);
      if (r.ok) defs.push(r.def);
      else {
        failed++;
        ctx.io.err([`course: ${file.source}: not a readable definition`, ...r.lines, ''].join('\n'));
      }
    }

    for (const def of applyOrder(defs)) {
      try {
        const { status, body } = await ctx.client().request<Saved>('PUT', `/workflows/${encodeURIComponent(def.name)}`, {
          text: { body: def.text, contentType: CONTENT_TYPES[def.format] },
        });
        const verb = status === 201 ? 'created' : 'updated';
        const version = body?.version !== undefined ? ` (version ${body.version})` : '';
        ctx.io.out(`workflow ${def.name} ${verb}${version}\n`);
      } catch (e) {
        // A refused definition does not stop the others; a server we cannot use does.
        if (!(e instanceof ApiError) || e.status === 401 || e.status >= 500) throw e;
        failed++;
        ctx.io.err([`course: ${def.source}: ${e.message}`, ...e.lines, ''].join('\n'));
      }
    }
    if (failed > 0 && files.length > 1) {
      throw new CliError(`${failed} of ${files.length} definitions not applied`);
    }
    return failed > 0 ? EXIT.failure : EXIT.ok;
  },
};
