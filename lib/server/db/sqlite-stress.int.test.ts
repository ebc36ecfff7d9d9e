// The SQLite concurrency proof (DESIGN.md, "Data"): two real child processes plus this one do
// writeTx read-modify-write transactions as hard as they can, on one file, for COURSE_STRESS_MS
// (default 60 000). At the end: every increment is counted (no lost update, nothing "committed"
// but missing), every process finished (no wedge), and nobody saw an error.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { databaseInternals, openDatabase } from './client.ts';
import { stressWrites, type StressResult } from './stress-writer.fixture.ts';
import { freshDatabaseUrl } from '../testing/postgres.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const DURATION = Number(process.env.COURSE_STRESS_MS ?? 60_000);
const CHILDREN = 2;

function runChild(url: string, name: string): Promise<{ code: number | null; signal: string | null; result?: StressResult; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(import.meta.dirname, 'stress-writer.fixture.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, COURSE_STRESS_MS: String(DURATION), STRESS_NAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // A wedged child is killed well after it should have finished, and fails the test.
    const killer = setTimeout(() => child.kill('SIGKILL'), DURATION + 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const line = output.split('\n').find((l) => l.startsWith('{"result"'));
      resolve({ code, signal, output, result: line ? (JSON.parse(line) as { result: StressResult }).result : undefined });
    });
  });
}

it(
  `two processes and this one writing one SQLite file for ${DURATION} ms lose nothing and never wedge`,
  async () => {
    const url = await freshDatabaseUrl('sqlite');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const db = await openDatabase(url);
    try {
      const children = Array.from({ length: CHILDREN }, (_, i) => runChild(url, `child${i + 1}`));
      const mine = await stressWrites(db, 'parent', DURATION);
      const done = await Promise.all(children);

      const results: StressResult[] = [mine];
      for (const c of done) {
        expect(c.code, `child exited with ${c.code ?? c.signal}:\n${c.output.slice(-3000)}`).toBe(0);
        expect(c.result, c.output.slice(-3000)).toBeDefined();
        results.push(c.result!);
      }
      for (const r of results) {
        expect(r.errors, `${r.name} saw errors`).toEqual([]);
        expect(r.increments, `${r.name} never got to write: starved or wedged`).toBeGreaterThan(0);
      }
      expect(unhandled).toEqual([]);

      const total = results.reduce((n, r) => n + r.increments, 0);
      // Read the outcome through a separate, plain connection.
      const check = new Database(url.slice('file:'.length), { readonly: true });
      const counter = Number((check.prepare(`SELECT value FROM "Setting" WHERE key = 'counter'`).get() as { value: string }).value);
      const perWriter = check
        .prepare(`SELECT substr(key, 5, instr(substr(key, 5), ':') - 1) AS name, count(*) AS n FROM "Setting" WHERE key LIKE 'inc:%' GROUP BY 1`)
        .all() as { name: string; n: number }[];
      check.close();

      const summary = results.map((r) => `${r.name}: ${r.increments} (retries ${r.retries}, slowest ${r.maxTxMs} ms)`).join(', ');
      console.log(`SQLite stress, ${DURATION} ms: ${total} increments — ${summary}`);
      expect(counter).toBe(total); // no lost update
      expect(Object.fromEntries(perWriter.map((w) => [w.name, w.n]))).toEqual(Object.fromEntries(results.map((r) => [r.name, r.increments])));
      const [adapter] = databaseInternals(db).sqlite!.adapters;
      expect(adapter.inTransaction).toBe(false);
      expect(adapter.repairs).toBe(0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await db.close();
    }
  },
  DURATION + 120_000,
);
