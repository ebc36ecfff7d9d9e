// `npm test`: the whole suite. Makes sure of what the tests need first (Chromium, PostgreSQL
// binaries, generated Prisma clients, the Next build for browser tests), then runs the unit
// tests, the integration tests (real SQLite files, a real PostgreSQL server, real processes) and
// the browser tests (Playwright in Debian's Chromium). Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateClients } from './db-generate';
import { ensureTestDependencies } from './test-deps';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

function stage(title: string, command: string, args: string[], env: Record<string, string> = {}): void {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

ensureTestDependencies();
generateClients();
const extra = process.argv.slice(2);
stage('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
stage('unit tests', bin('vitest'), ['run', '--project', 'unit', ...extra]);
stage('integration tests', bin('vitest'), ['run', '--project', 'int', ...extra]);
const hasE2e = existsSync(path.join(root, 'e2e')) && readdirSync(path.join(root, 'e2e')).some((f) => f.endsWith('.spec.ts'));
if (hasE2e) {
  stage('next build', process.execPath, [bin('next'), 'build'], { NEXT_TELEMETRY_DISABLED: '1' });
  stage('browser tests', bin('playwright'), ['test']);
}
console.log('\nall tests passed');
