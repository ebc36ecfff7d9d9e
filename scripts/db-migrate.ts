// npm run db:migrate [-- URL]
// Applies the pending committed migrations to DATABASE_URL (or URL; default file:./data/course.db)
// with lib/server/db/migrate.ts — no Prisma engine involved (see there and STACK-NOTES.md).
import { migrate } from '../lib/server/db/migrate.ts';
import { redact, resolveDatabaseUrl } from '../lib/server/db/url.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    console.error('usage: npm run db:migrate [-- DATABASE_URL]');
    process.exit(2);
  }
  const url = resolveDatabaseUrl(args[0]);
  try {
    const { applied } = await migrate(url, { log: (m) => console.log(m) });
    console.log(applied.length === 0 ? `${redact(url)}: up to date` : `${redact(url)}: applied ${applied.length} migration(s)`);
  } catch (e) {
    console.error(`migration failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
