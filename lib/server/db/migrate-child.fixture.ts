// migrate.int.test.ts: runs migrate(process.env.URL) in its own process, as web and worker do at
// start, and prints the result as one JSON line.
import { migrate } from './migrate.ts';

const result = await migrate(process.env.URL ?? '');
process.stdout.write(`${JSON.stringify(result)}\n`);
