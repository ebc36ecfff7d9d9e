// The examples' commands really work on this machine: each workflow run job by job with /bin/sh
// (local-run.ts) in a temporary EXAMPLES_DIR, checking the reports and archives they make, that
// they fail loudly on missing input, and that housekeeping deletes only what it should.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadExamples } from './catalog';
import { runLocally, type LocalJobResult } from './local-run';

const workflows = new Map(loadExamples().map((e) => [e.spec.name, e.spec]));
let root: string;
let cwd: string;

beforeEach(() => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'course-examples-'));
  root = path.join(tmp, 'data');
  cwd = path.join(tmp, 'cwd');
  mkdirSync(cwd);
});

const run = (name: string, extra: Partial<Parameters<typeof runLocally>[1]> = {}) =>
  runLocally(name, { workflows, cwd, ...extra, params: { EXAMPLES_DIR: root, ...extra.params } });

function expectSuccess(results: LocalJobResult[], jobs: string[]) {
  const failed = results.find((r) => r.exitCode !== 0);
  expect(failed, failed && `${failed.workflow}.${failed.job} failed:\n${failed.output}`).toBeUndefined();
  expect(results.map((r) => `${r.workflow}.${r.job}`)).toEqual(jobs);
}

const ARCHIVE_JOBS = ['archive.compress', 'archive.checksum', 'archive.verify'];
const touchDaysAgo = (p: string, days: number) => execFileSync('touch', ['-d', `${days} days ago`, p]);

/** Installed packages counted independently of the example's awk. */
function installedPackages(): number {
  return readFileSync('/var/lib/dpkg/status', 'utf8')
    .split(/\n\n+/)
    .filter((rec) => /^Package: /m.test(rec) && /^Status: .* installed$/m.test(rec)).length;
}

describe('packages-report', () => {
  it('runs its diamond and nested archive, and publishes a report that counts every installed package', async () => {
    const results = await run('packages-report', { params: { TOP_N: '5' } });
    expectSuccess(results, [
      'packages-report.ingest',
      'packages-report.by-section',
      'packages-report.top-packages',
      'packages-report.report',
      'packages-report.publish',
      ...ARCHIVE_JOBS,
    ]);
    const report = readFileSync(path.join(root, 'published/packages-report/latest/report.md'), 'utf8');
    expect(report).toContain(`- Packages installed: ${installedPackages()}\n`);
    expect(report).toContain('## Installed size by section');
    expect(report).toContain('## The 5 largest packages');
    expect(report.match(/^\| [1-5] \| /gm)).toHaveLength(5);

    const archive = realpathSync(path.join(root, 'archive/latest'));
    expect(readFileSync(path.join(archive, 'SHA256SUMS'), 'utf8')).toContain('./packages-report/report.md.gz');
    expect(execFileSync('gzip', ['-dc', path.join(archive, 'packages-report/report.md.gz')], { encoding: 'utf8' })).toBe(report);
  });

  it('fails loudly when a job finds no input', async () => {
    const [r] = await run('packages-report', { only: ['report'] });
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/^report: .*packages\.tsv is missing; an earlier job makes it$/m);
    const [bad] = await run('packages-report', { only: ['ingest'], params: { DPKG_STATUS: path.join(cwd, 'nope') } });
    expect([bad.exitCode, bad.output]).toEqual([1, `ingest: cannot read the dpkg database ${path.join(cwd, 'nope')}\n`]);
  });

  it('a rerun (new run id, same nominal time) finds the files of the jobs that succeeded', async () => {
    const nominalTime = '2026-01-02T03:04:05.000Z';
    expectSuccess(await run('packages-report', { only: ['ingest', 'by-section', 'top-packages', 'report'], nominalTime }), [
      'packages-report.ingest',
      'packages-report.by-section',
      'packages-report.top-packages',
      'packages-report.report',
    ]);
    expectSuccess(await run('packages-report', { only: ['publish', 'archive'], nominalTime }), ['packages-report.publish', ...ARCHIVE_JOBS]);
    expect(readlinkOf(path.join(root, 'published/packages-report/latest'))).toBe('20260102T030405.000Z');
  });
});

function readlinkOf(p: string): string {
  return execFileSync('readlink', [p], { encoding: 'utf8' }).trim();
}

describe('zones-report', () => {
  it('runs, and the archive holds both published reports', async () => {
    expectSuccess(await run('packages-report', { only: ['ingest', 'by-section', 'top-packages', 'report', 'publish'] }), [
      'packages-report.ingest',
      'packages-report.by-section',
      'packages-report.top-packages',
      'packages-report.report',
      'packages-report.publish',
    ]);
    const results = await run('zones-report');
    expectSuccess(results, ['zones-report.ingest', 'zones-report.by-region', 'zones-report.by-country', 'zones-report.report', 'zones-report.publish', ...ARCHIVE_JOBS]);
    const report = readFileSync(path.join(root, 'published/zones-report/latest/report.md'), 'utf8');
    expect(report).toMatch(/^- tz database version: \d{4}[a-z]$/m);
    expect(report).toMatch(/^\| Europe \| \d+ \|$/m);
    expect(report).toContain('## Countries with the most zones');
    const sums = readFileSync(path.join(root, 'archive/latest/SHA256SUMS'), 'utf8');
    expect(sums).toContain('./zones-report/report.md.gz');
    expect(sums).toContain('./packages-report/report.md.gz');
  });
});

describe('archive', () => {
  it('on its own, with nothing published, fails loudly', async () => {
    const [r] = await run('archive');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('compress: nothing published under');
  });

  it('verify catches a damaged archive', async () => {
    await run('zones-report');
    const nominalTime = '2026-01-01T00:00:00.000Z';
    expectSuccess(await run('archive', { nominalTime }), ARCHIVE_JOBS);
    const gz = path.join(root, 'archive/20260101T000000.000Z/zones-report/report.md.gz');
    writeFileSync(gz, 'not gzip');
    const [r] = await run('archive', { only: ['verify'], nominalTime });
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('report.md.gz: FAILED');
  });
});

describe('housekeeping', () => {
  it('with no example output yet, has nothing to do', async () => {
    const results = await run('housekeeping');
    expectSuccess(results, ['housekeeping.prune', 'housekeeping.usage']);
    expect(results[0].output).toContain('does not exist yet');
  });

  it("refuses to delete in a directory without the examples' marker", async () => {
    mkdirSync(path.join(root, 'runs/x/old'), { recursive: true });
    touchDaysAgo(path.join(root, 'runs/x/old'), 30);
    const [r] = await run('housekeeping');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('has no .course-examples marker');
    expect(existsSync(path.join(root, 'runs/x/old'))).toBe(true);
  });

  it('deletes output older than KEEP_DAYS, keeps what latest points to, and reports usage', async () => {
    await run('zones-report');
    const published = path.join(root, 'published/zones-report');
    const current = readlinkOf(path.join(published, 'latest'));
    const oldRun = path.join(root, 'runs/zones-report/20200101T000000.000Z');
    const oldPublished = path.join(published, '20200101T000000.000Z');
    const recent = path.join(root, 'runs/zones-report/20990101T000000.000Z');
    for (const d of [oldRun, oldPublished, recent]) mkdirSync(d, { recursive: true });
    for (const d of [oldRun, oldPublished, path.join(published, current)]) touchDaysAgo(d, 10);
    const outside = mkdtempSync(path.join(tmpdir(), 'course-outside-'));
    touchDaysAgo(outside, 30);

    const results = await run('housekeeping', { params: { KEEP_DAYS: '7' } });
    expectSuccess(results, ['housekeeping.prune', 'housekeeping.usage']);
    expect(existsSync(oldRun) || existsSync(oldPublished)).toBe(false);
    expect(existsSync(path.join(published, current))).toBe(true);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(outside)).toBe(true);
    expect(results[0].output).toContain('prune: deleted 2 directories older than 7 days');
    expect(results[1].output).toMatch(/^ {2}published +\S+ +\(1 directories\)$/m);
    expect(readdirSync(path.join(root, 'archive')).sort()).toEqual([expect.any(String), 'latest']);
  });
});
