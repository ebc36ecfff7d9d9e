// The SQLite concurrency proof's writer (write.int.test.ts): read-modify-write transactions as
// fast as possible until a deadline. Run as a child process (`tsx stress-writer.fixture.ts`) with
// DATABASE_URL, COURSE_STRESS_MS and STRESS_NAME, it prints one JSON line `{"result": …}` and exits 0;
// the test process imports stressWrites() and runs the same loop itself.
//
// Each transaction reads the shared counter (Setting "counter"), writes it back plus one, and
// inserts a row `inc:<writer>:<n>` — so a lost update shows as counter ≠ number of rows, and a
// transaction reported as committed but never stored shows as rows < reported increments.
import { openDatabase, type Database } from './client.ts';
import { writeTx } from './write.ts';

export interface StressResult {
  name: string;
  increments: number;
  retries: number;
  maxTxMs: number;
  errors: string[];
}

export async function stressWrites(db: Database, name: string, durationMs: number, concurrency = 3): Promise<StressResult> {
  const deadline = Date.now() + durationMs;
  const result: StressResult = { name, increments: 0, retries: 0, maxTxMs: 0, errors: [] };
  let seq = 0;
  const loop = async (lane: number) => {
    while (Date.now() < deadline) {
      const n = seq++;
      const started = Date.now();
      try {
        await writeTx(
          db,
          async (tx) => {
            const row = await tx.setting.findUnique({ where: { key: 'counter' } });
            const value = Number(row?.value ?? '0');
            await tx.setting.upsert({
              where: { key: 'counter' },
              create: { key: 'counter', value: String(value + 1) },
              update: { value: String(value + 1) },
            });
            await tx.setting.create({ data: { key: `inc:${name}:${n}`, value: String(lane) } });
          },
          { onRetry: () => void result.retries++ },
        );
        result.increments++;
        result.maxTxMs = Math.max(result.maxTxMs, Date.now() - started);
      } catch (e) {
        result.errors.push(String((e as Error)?.message ?? e).slice(0, 500));
        if (result.errors.length > 20) return;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const unhandled: string[] = [];
  process.on('unhandledRejection', (e) => unhandled.push(`unhandledRejection: ${String((e as Error)?.stack ?? e)}`));
  process.on('uncaughtException', (e) => unhandled.push(`uncaughtException: ${String(e?.stack ?? e)}`));
  const name = process.env.STRESS_NAME ?? `child-${process.pid}`;
  const db = await openDatabase(process.env.DATABASE_URL);
  const result = await stressWrites(db, name, Number(process.env.COURSE_STRESS_MS ?? 60_000));
  await db.close();
  result.errors.push(...unhandled);
  process.stdout.write(`${JSON.stringify({ result })}\n`);
  process.exit(0);
}
