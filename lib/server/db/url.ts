// DATABASE_URL rules (CONTRACT.md, "Starting"):
//   file:PATH                 → SQLite at PATH, relative to process.cwd() (default file:./data/course.db)
//   postgres://… postgresql://… → PostgreSQL
// Anything else is refused with a message that says what is accepted.
import path from 'node:path';

export type Provider = 'sqlite' | 'postgresql';

export const DEFAULT_DATABASE_URL = 'file:./data/course.db';

export type ParsedDatabaseUrl =
  | { provider: 'sqlite'; url: string; /** absolute path of the database file */ file: string }
  | { provider: 'postgresql'; url: string };

export function resolveDatabaseUrl(url?: string): string {
  const u = url ?? process.env.DATABASE_URL;
  return u && u.trim() !== '' ? u.trim() : DEFAULT_DATABASE_URL;
}

export function parseDatabaseUrl(url?: string): ParsedDatabaseUrl {
  const u = resolveDatabaseUrl(url);
  if (u.startsWith('file:')) {
    let p = u.slice('file:'.length);
    const q = p.indexOf('?');
    if (q >= 0) p = p.slice(0, q); // Prisma-style options (?connection_limit=…) mean nothing here
    if (p.startsWith('//')) p = decodeURIComponent(new URL(u).pathname); // file:///abs/path
    if (p === '' || p === ':memory:') {
      throw new Error(`DATABASE_URL "${u}": a SQLite URL needs a file path, e.g. ${DEFAULT_DATABASE_URL}`);
    }
    return { provider: 'sqlite', url: u, file: path.resolve(process.cwd(), p) };
  }
  if (/^postgres(ql)?:\/\//.test(u)) return { provider: 'postgresql', url: u };
  throw new Error(
    `DATABASE_URL "${redact(u)}" is not supported: use file:PATH for SQLite (default ${DEFAULT_DATABASE_URL}) ` +
      'or postgres://… / postgresql://… for PostgreSQL',
  );
}

/** The URL with any password replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1***@');
}
