// openDatabase(): the URL rules and a row round trip on both providers, bytes included.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseInternals, openDatabase } from './client.ts';
import { parseDatabaseUrl } from './url.ts';
import { writeTx } from './write.ts';
import { freshDatabaseUrl } from '../testing/postgres.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'course-client-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('database URLs', () => {
  it('reads file:PATH relative to the working directory, with the contract default', () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      expect(parseDatabaseUrl()).toEqual({ provider: 'sqlite', url: 'file:./data/course.db', file: path.resolve('data/course.db') });
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
    expect(parseDatabaseUrl('file:../x/y.db')).toMatchObject({ provider: 'sqlite', file: path.resolve('../x/y.db') });
    expect(parseDatabaseUrl('file:/abs/c.db?connection_limit=1')).toMatchObject({ file: '/abs/c.db' });
    expect(parseDatabaseUrl('file:///abs/c.db')).toMatchObject({ file: '/abs/c.db' });
    expect(parseDatabaseUrl('postgres://u:p@h:5432/d')).toEqual({ provider: 'postgresql', url: 'postgres://u:p@h:5432/d' });
    expect(parseDatabaseUrl('postgresql://h/d').provider).toBe('postgresql');
  });

  it('refuses anything else, clearly and without echoing a password', async () => {
    await expect(openDatabase('mysql://root:secret@localhost/db')).rejects.toThrow(
      /DATABASE_URL "mysql:\/\/root:\*\*\*@localhost\/db" is not supported: use file:PATH for SQLite .* or postgres:\/\/… \/ postgresql:\/\/… for PostgreSQL/,
    );
    await expect(openDatabase('file:')).rejects.toThrow(/needs a file path/);
    await expect(openDatabase('./course.db')).rejects.toThrow(/is not supported/);
  });

  it('creates the SQLite directory and opens the file in WAL mode with foreign keys on', async () => {
    const file = path.join(tmp, 'new', 'dir', 'course.db');
    const db = await openDatabase(`file:${file}`);
    try {
      expect(db.provider).toBe('sqlite');
      expect(existsSync(file)).toBe(true);
      const pragmas = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
        'SELECT (SELECT journal_mode FROM pragma_journal_mode) AS jm, (SELECT foreign_keys FROM pragma_foreign_keys) AS fk, (SELECT synchronous FROM pragma_synchronous) AS sync, (SELECT timeout FROM pragma_busy_timeout) AS busy',
      );
      expect(Object.fromEntries(Object.entries(pragmas[0]).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))).toEqual({ jm: "wal", fk: 1, sync: 1, busy: 0 }); // busy_timeout 0: lock waits are asynchronous (sqlite-adapter.ts)
    } finally {
      await db.close();
    }
  });

  it('says what to do when PostgreSQL is unreachable', async () => {
    await expect(openDatabase('postgresql://nobody:pw@127.0.0.1:1/none')).rejects.toThrow(
      /Cannot connect to PostgreSQL at postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
    );
  });
});

describe.each(['sqlite', 'postgresql'] as const)('openDatabase (%s)', (provider) => {
  it('round-trips rows, dates and non-UTF-8 bytes', async () => {
    const url = await freshDatabaseUrl(provider);
    const db = await openDatabase(url);
    try {
      expect(db.provider).toBe(provider);
      expect(db.url).toBe(url);
      const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0xc3, 0x28, 0x0a]); // not valid UTF-8
      const when = new Date('2026-03-29T01:30:00.123Z');
      const attemptId = await writeTx(db, async (tx) => {
        const group = await tx.group.create({ data: { name: 'default' } });
        const wf = await tx.workflow.create({ data: { name: 'wf', groupId: group.id, currentVersion: 1 } });
        const version = await tx.workflowVersion.create({ data: { workflowId: wf.id, version: 1, definition: '{}' } });
        const run = await tx.run.create({
          data: { workflowId: wf.id, versionId: version.id, state: 'executing', trigger: 'manual', nominalTime: when },
        });
        const jobRun = await tx.jobRun.create({ data: { runId: run.id, job: 'a', state: 'executing' } });
        const attempt = await tx.attempt.create({ data: { jobRunId: jobRun.id, number: 1, state: 'executing', startedAt: when } });
        await tx.outputChunk.create({ data: { attemptId: attempt.id, seq: 0, stream: 'stdout', data: bytes } });
        return attempt.id;
      });
      const chunk = await db.prisma.outputChunk.findUniqueOrThrow({ where: { attemptId_seq: { attemptId, seq: 0 } } });
      expect(Buffer.from(chunk.data).equals(bytes)).toBe(true);
      const attempt = await db.prisma.attempt.findUniqueOrThrow({ where: { id: attemptId }, include: { jobRun: { include: { run: true } } } });
      expect(attempt.startedAt?.toISOString()).toBe(when.toISOString());
      expect(attempt.jobRun.run.nominalTime.toISOString()).toBe(when.toISOString());
      expect(attempt.jobRun.run.lockVersion).toBe(0);
      // Cascades come from the migrations' foreign keys (SQLite needs foreign_keys=ON for them).
      await writeTx(db, (tx) => tx.run.delete({ where: { id: attempt.jobRun.run.id } }));
      expect(await db.prisma.outputChunk.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('reports unique violations as P2002', async () => {
    const db = await openDatabase(await freshDatabaseUrl(provider));
    try {
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'k', value: '1' } }));
      await expect(writeTx(db, (tx) => tx.setting.create({ data: { key: 'k', value: '2' } }))).rejects.toMatchObject({ code: 'P2002' });
    } finally {
      await db.close();
    }
  });
});

describe('SQLite file shared with another connection', () => {
  it('commits what it writes (visible to a separate connection at once)', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const db = await openDatabase(url);
    try {
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'seen', value: 'yes' } }));
      const other = new Database(url.slice('file:'.length), { readonly: true });
      expect(other.prepare(`SELECT value FROM "Setting" WHERE key = 'seen'`).get()).toEqual({ value: 'yes' });
      other.close();
      expect(databaseInternals(db).sqlite?.adapters.every((a) => !a.inTransaction && a.repairs === 0)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
