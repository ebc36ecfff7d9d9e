// A Next build for integration tests that need the pages (next-auth's route handler, the proxy):
// built once into a directory of its own (default .tmp/next-int, COURSE_NEXT_DIST_DIR picks it
// up in next.config.ts), so it never disturbs the .next of a running server or of npm test's
// browser stage, and reused while no page source is newer than it. Concurrent test runs take
// turns through a lock file (flock), and the second finds the first's build fresh.
//
//   await ensureNextBuild()                    → the dist dir, relative to the repository root
//   node --import tsx lib/server/testing/next-build.ts   (builds if stale; used under flock)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
export const TEST_DIST_DIR = process.env.COURSE_TEST_NEXT_DIST_DIR ?? '.tmp/next-int';

/** What a page build is made of: anything newer means the build is stale. */
const SOURCES = ['app', 'components', 'lib/contracts', 'lib/domain', 'lib/server/auth', 'proxy.ts', 'next.config.ts', 'tsconfig.json', 'tsconfig.next.json', 'package-lock.json'];

function newest(p: string): number {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(p)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

export function buildIsFresh(distDir = TEST_DIST_DIR): boolean {
  const id = path.join(root, distDir, 'BUILD_ID');
  if (!existsSync(id)) return false;
  const built = statSync(id).mtimeMs;
  return SOURCES.every((s) => newest(path.join(root, s)) < built);
}

function buildNow(distDir: string): void {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    env: { ...process.env, COURSE_NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal}):\n${(r.stdout ?? '').slice(-6000)}\n${(r.stderr ?? '').slice(-6000)}`);
}

/** Makes sure of a fresh build in `distDir` and returns it. Takes about a minute on 2 cores when it must build. */
export function ensureNextBuild(distDir = TEST_DIST_DIR): string {
  if (buildIsFresh(distDir)) return distDir;
  const lock = path.join(root, '.tmp', 'next-int.lock');
  spawnSync('mkdir', ['-p', path.dirname(lock)]);
  const r = spawnSync('flock', [lock, process.execPath, '--import', 'tsx', path.join(root, 'lib/server/testing/next-build.ts'), distDir], {
    cwd: root,
    env: { ...process.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`building the pages for the test failed:\n${(r.stdout ?? '').slice(-6000)}\n${(r.stderr ?? '').slice(-6000)}`);
  return distDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const distDir = process.argv[2] ?? TEST_DIST_DIR;
  if (!buildIsFresh(distDir)) buildNow(distDir);
}
