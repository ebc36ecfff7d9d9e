// writeTx/readTx: the behaviours docs/decisions/sqlite-writes.md relies on, one by one.
// The two-processes-for-a-minute proof is sqlite-stress.int.test.ts.
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PrismaClient } from '../../../prisma/generated/sqlite/client/client.ts';
import { databaseInternals, openDatabase, type Db, type Tx } from './client.ts';
import { isRetryableTxError, readTx, writeTx } from './write.ts';
import { freshDatabaseUrl } from '../testing/postgres.ts';

const fileOf = (url: string) => url.slice('file:'.length);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A transaction whose COMMIT fails and leaves SQLite inside the transaction: a deferred FK violation. */
async function failingCommit(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe('PRAGMA defer_foreign_keys = ON');
  await tx.membership.create({ data: { userId: 424242, groupId: 424242, role: 'viewer' } });
}

function committedElsewhere(url: string, key: string): boolean {
  const other = new Database(fileOf(url), { readonly: true });
  try {
    return other.prepare(`SELECT 1 FROM "Setting" WHERE key = ?`).get(key) !== undefined;
  } finally {
    other.close();
  }
}

describe('writeTx on SQLite', () => {
  it('waits for, or retries past, another process holding the write lock', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const db = await openDatabase(url, { busyTimeoutMs: 20 }); // short, so the retry path runs
    const holder = new Database(fileOf(url));
    try {
      holder.exec('BEGIN IMMEDIATE');
      setTimeout(() => holder.exec('COMMIT'), 400);
      let retries = 0;
      const value = await writeTx(
        db,
        async (tx) => {
          const n = await tx.setting.count();
          await tx.setting.create({ data: { key: 'after-lock', value: String(n) } });
          return n;
        },
        { onRetry: () => void retries++ },
      );
      expect(value).toBe(0);
      expect(retries).toBeGreaterThan(0);
      expect(committedElsewhere(url, 'after-lock')).toBe(true);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await db.close();
    }
  });

  it('takes the write lock at BEGIN: a read-then-write transaction never fails on the upgrade', async () => {
    // Without BEGIN IMMEDIATE, this interleaving gives SQLITE_BUSY_SNAPSHOT at the UPDATE, which the
    // busy timeout cannot help: tx A reads, B commits a write, A writes.
    const url = await freshDatabaseUrl('sqlite');
    const a = await openDatabase(url);
    const b = await openDatabase(url);
    try {
      await writeTx(a, (tx) => tx.setting.create({ data: { key: 'n', value: '0' } }));
      const order: string[] = [];
      const txA = writeTx(a, async (tx) => {
        const row = await tx.setting.findUniqueOrThrow({ where: { key: 'n' } });
        order.push('A read');
        await sleep(200); // B tries to write meanwhile
        await tx.setting.update({ where: { key: 'n' }, data: { value: String(Number(row.value) + 1) } });
        order.push('A wrote');
      });
      await sleep(50);
      const txB = writeTx(b, async (tx) => {
        const row = await tx.setting.findUniqueOrThrow({ where: { key: 'n' } });
        order.push('B read');
        await tx.setting.update({ where: { key: 'n' }, data: { value: String(Number(row.value) + 1) } });
      });
      await Promise.all([txA, txB]);
      expect(order).toEqual(['A read', 'A wrote', 'B read']); // B waited for the lock at its start
      expect((await a.prisma.setting.findUniqueOrThrow({ where: { key: 'n' } })).value).toBe('2');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('never leaves the connection inside a transaction when COMMIT fails', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const db = await openDatabase(url);
    try {
      // The COMMIT's own error (the client passes errors from commit() through unmapped).
      await expect(writeTx(db, failingCommit)).rejects.toMatchObject({ cause: { originalCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' } });
      const [adapter] = databaseInternals(db).sqlite!.adapters;
      expect(adapter.inTransaction).toBe(false);
      await db.prisma.setting.create({ data: { key: 'plain-after', value: '1' } });
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'tx-after', value: '1' } }));
      expect(committedElsewhere(url, 'plain-after')).toBe(true);
      expect(committedElsewhere(url, 'tx-after')).toBe(true);
      expect(await db.prisma.membership.count()).toBe(0);
      expect(adapter.repairs).toBe(0); // handled at COMMIT, not by a later repair
    } finally {
      await db.close();
    }
  });

  it('canary: the stock adapter still loses writes after a failed COMMIT (prisma/orm#29933)', async () => {
    // If this starts failing after an upgrade, Prisma fixed the adapter: sqlite-adapter.ts's COMMIT
    // handling may then be simplified (BEGIN IMMEDIATE is still needed).
    const url = await freshDatabaseUrl('sqlite');
    const stock = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: fileOf(url) }) }) as Db;
    try {
      await expect(stock.$transaction(failingCommit)).rejects.toBeTruthy();
      await stock.setting.create({ data: { key: 'lost', value: '1' } }); // "succeeds"
      expect(committedElsewhere(url, 'lost')).toBe(false);
    } finally {
      await stock.$disconnect();
    }
  });

  it('keeps plain queries out of an open transaction', async () => {
    const url = await freshDatabaseUrl('sqlite');
    const db = await openDatabase(url);
    try {
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      const tx = writeTx(db, async (t) => {
        await t.setting.create({ data: { key: 'uncommitted', value: '1' } });
        inside();
        await sleep(150);
        throw new Error('roll it back');
      });
      await entered;
      // Issued while the transaction is open: runs after it, never inside it.
      const read = db.prisma.setting.findUnique({ where: { key: 'uncommitted' } });
      const write = db.prisma.setting.create({ data: { key: 'outside', value: '1' } });
      await expect(tx).rejects.toThrow('roll it back');
      expect(await read).toBeNull();
      await write;
      expect(committedElsewhere(url, 'outside')).toBe(true);
      expect(committedElsewhere(url, 'uncommitted')).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('does not retry ordinary errors, and rolls them back', async () => {
    const db = await openDatabase(await freshDatabaseUrl('sqlite'));
    try {
      let runs = 0;
      await expect(
        writeTx(db, async (tx) => {
          runs++;
          await tx.setting.create({ data: { key: 'x', value: '1' } });
          throw new Error('nope');
        }),
      ).rejects.toThrow('nope');
      expect(runs).toBe(1);
      expect(await db.prisma.setting.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('readTx reads a snapshot and refuses writes', async () => {
    const db = await openDatabase(await freshDatabaseUrl('sqlite'));
    try {
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'r', value: '1' } }));
      expect(await readTx(db, (tx) => tx.setting.findMany())).toEqual([{ key: 'r', value: '1' }]);
      await expect(readTx(db, (tx) => tx.setting.create({ data: { key: 'w', value: '1' } }))).rejects.toThrow();
      // …and the connection is writable again afterwards.
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'w', value: '1' } }));
      await db.prisma.setting.create({ data: { key: 'w2', value: '1' } });
      expect(await db.prisma.setting.count()).toBe(3);
    } finally {
      await db.close();
    }
  });

  it('keeps the event loop free while it waits for the write lock', async () => {
    // better-sqlite3 is synchronous: with SQLite's own busy_timeout the wait would freeze the process.
    const url = await freshDatabaseUrl('sqlite');
    const db = await openDatabase(url);
    const holder = new Database(fileOf(url));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const ticks: number[] = [];
      const timer = setInterval(() => ticks.push(Date.now()), 10);
      setTimeout(() => holder.exec('COMMIT'), 500);
      const started = Date.now();
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'waited', value: '1' } }));
      clearInterval(timer);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(ticks.length).toBeGreaterThan(20); // timers kept firing during the wait
      expect(committedElsewhere(url, 'waited')).toBe(true);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
      await db.close();
    }
  });
});

describe('writeTx on PostgreSQL', () => {
  it('retries the loser of a deadlock, and both transactions commit', async () => {
    const db = await openDatabase(await freshDatabaseUrl('postgresql'));
    try {
      await db.prisma.setting.createMany({ data: [{ key: 'a', value: '0' }, { key: 'b', value: '0' }] });
      let retries = 0;
      const bump = (first: string, second: string) =>
        writeTx(
          db,
          async (tx) => {
            await tx.$executeRawUnsafe(`UPDATE "Setting" SET value = (value::int + 1)::text WHERE key = $1`, first);
            await sleep(150);
            await tx.$executeRawUnsafe(`UPDATE "Setting" SET value = (value::int + 1)::text WHERE key = $1`, second);
          },
          { onRetry: () => void retries++ },
        );
      await Promise.all([bump('a', 'b'), bump('b', 'a')]);
      expect(retries).toBeGreaterThan(0);
      const rows = await db.prisma.setting.findMany({ orderBy: { key: 'asc' } });
      expect(rows.map((r) => r.value)).toEqual(['2', '2']);
    } finally {
      await db.close();
    }
  });

  it('readTx works there too', async () => {
    const db = await openDatabase(await freshDatabaseUrl('postgresql'));
    try {
      await writeTx(db, (tx) => tx.setting.create({ data: { key: 'r', value: '1' } }));
      expect(await readTx(db, (tx) => tx.setting.count())).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('isRetryableTxError', () => {
  it('knows busy, serialization and deadlock errors, and nothing else', () => {
    expect(isRetryableTxError({ code: 'P1008', meta: { driverAdapterError: { cause: { originalCode: 'SQLITE_BUSY' } } } }, 'sqlite')).toBe(true);
    expect(isRetryableTxError(new Error('SqliteError: database is locked'), 'sqlite')).toBe(true);
    expect(isRetryableTxError({ code: 'P2034' }, 'postgresql')).toBe(true);
    expect(isRetryableTxError({ code: 'P2010', meta: { code: '40P01' } }, 'postgresql')).toBe(true);
    expect(isRetryableTxError({ cause: { originalCode: '40001' } }, 'postgresql')).toBe(true);
    expect(isRetryableTxError({ code: 'P1008' }, 'postgresql')).toBe(false); // ambiguous on a network
    expect(isRetryableTxError({ code: 'P2002' }, 'sqlite')).toBe(false);
    expect(isRetryableTxError(new Error('nope'), 'sqlite')).toBe(false);
  });
});

