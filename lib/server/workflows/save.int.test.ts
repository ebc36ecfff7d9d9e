// Saves racing each other: the containment-cycle check and the version numbers hold under
// concurrency, on SQLite (one write lock) and PostgreSQL (the advisory lock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '../errors';
import { openDatabase, type Database } from '../db/client';
import { writeTx } from '../db/write';
import { freshDatabaseUrl } from '../testing/postgres';
import type { Principal } from '../auth';
import { saveWorkflow } from './save';
import { deleteWorkflow } from './delete';

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe(`concurrent saves (${provider})`, () => {
    let db: Database;
    let erin: Principal;

    beforeAll(async () => {
      db = await openDatabase(await freshDatabaseUrl(provider));
      const user = await writeTx(db, async (tx) => {
        const group = await tx.group.create({ data: { name: 'default' } });
        return tx.user.create({ data: { username: 'erin', passwordHash: 'x', memberships: { create: { groupId: group.id, role: 'editor' } } } });
      });
      erin = { userId: user.id, username: 'erin', isSiteAdmin: false, via: 'token', tokenId: 0 };
    });
    afterAll(async () => {
      await db.close();
    });

    const job = (workflow?: string) => ({ jobs: { j: workflow ? { workflow } : { command: 'true' } } });

    it('never lets two saves together make a containment cycle', async () => {
      for (let round = 0; round < 5; round++) {
        const [a, b] = [`a${round}`, `b${round}`];
        await saveWorkflow(db, erin, a, job(), 0);
        await saveWorkflow(db, erin, b, job(), 0);
        const results = await Promise.allSettled([saveWorkflow(db, erin, a, job(b), 1), saveWorkflow(db, erin, b, job(a), 1)]);
        const refused = results.filter((r) => r.status === 'rejected');
        expect(refused).toHaveLength(1);
        const reason = (refused[0] as PromiseRejectedResult).reason;
        expect(isApiError(reason) && reason.code).toBe('containment_cycle');
      }
    });

    it('numbers versions without gaps or repeats', async () => {
      await saveWorkflow(db, erin, 'v', job(), 0);
      const saves = await Promise.all(
        Array.from({ length: 6 }, (_, i) => saveWorkflow(db, erin, 'v', { jobs: { [`j${i}`]: { command: 'true' } } }, i)),
      );
      expect(saves.map((s) => s.version).sort()).toEqual([2, 3, 4, 5, 6, 7]);
      const created = await Promise.allSettled([saveWorkflow(db, erin, 'new1', job(), 0), saveWorkflow(db, erin, 'new1', job(), 0)]);
      expect(created.map((r) => (r.status === 'fulfilled' ? [r.value.created, r.value.version] : r.reason)).sort()).toEqual([
        [false, 1],
        [true, 1],
      ]);
    });

    it('does not let a delete and a save that nests the deleted workflow both succeed', async () => {
      await saveWorkflow(db, erin, 'child', job(), 0);
      const [del, save] = await Promise.allSettled([deleteWorkflow(db, erin, 'child'), saveWorkflow(db, erin, 'parent', job('child'), 0)]);
      const child = await db.prisma.workflow.findUnique({ where: { name: 'child' } });
      const parent = await db.prisma.workflow.findUnique({ where: { name: 'parent' } });
      if (del.status === 'fulfilled') {
        expect(child).toBeNull();
        expect(save.status).toBe('rejected');
        expect(parent).toBeNull();
      } else {
        expect(save.status).toBe('fulfilled');
        expect(child).not.toBeNull();
      }
    });
  });
}
