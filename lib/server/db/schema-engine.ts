// Schema diffs with @prisma/schema-engine-wasm driven by the driver adapters — the only Prisma
// route to a migration diff on these machines (Prisma 7's CLI needs a native engine it cannot
// download; STACK-NOTES.md). Development and test tooling only: the running app never loads it.
//
// How it is used (see scripts/db-migration-create.ts and migrate.int.test.ts):
//   1. apply the committed migrations to a scratch database with our own migrate() — exactly the
//      code that applies them in production;
//   2. ask the engine for the diff from that database (introspected through the adapter) to the
//      models: `{tag: 'schemaDatasource'}` → `{tag: 'schemaDatamodel'}`.
// The engine's own `{tag: 'migrations'}` source is avoided on purpose: it replays each file on a
// shadow database through the adapter's single-statement executeRaw, which better-sqlite3 refuses
// for multi-statement scripts ("contains more than one statement"), and it would apply them in a
// way that differs from migrate().
//
// Loading: the package's entry does `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20
// only accepts with --experimental-wasm-modules; so we instantiate the .wasm ourselves with the
// JS glue (schema_engine_bg.js) as its import object, which is what that entry does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as EngineTypes from '@prisma/schema-engine-wasm';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { MIGRATIONS_TABLE } from './migrate.ts';
import { parseDatabaseUrl, type Provider } from './url.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);

type Glue = typeof EngineTypes & { __wbg_set_wasm(exports: WebAssembly.Exports): void };
let glue: Promise<Glue> | undefined;

function loadEngineModule(): Promise<Glue> {
  glue ??= (async () => {
    const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bg = (await import(pathToFileURL(path.join(pkgDir, 'schema_engine_bg.js')).href)) as Glue;
    const module = new WebAssembly.Module(readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm')));
    const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return glue;
}

/** The Prisma schema the engine diffs against: the datasource for `provider` plus prisma/models.prisma. */
export function engineSchema(provider: Provider): string {
  const models = readFileSync(path.join(root, 'prisma/models.prisma'), 'utf8');
  return `datasource db {\n  provider = "${provider}"\n}\n\n${models}`;
}

async function adapterFactory(url: string): Promise<SqlMigrationAwareDriverAdapterFactory> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return new PrismaBetterSqlite3({ url: parsed.file });
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const pg = (await import('pg')).default;
  return new PrismaPg(new pg.Pool({ connectionString: parsed.url, Client: charAsTextClient(pg), max: 2 }), {
    disposeExternalPool: true,
  });
}

const PG_CHAR_OID = 18; // the internal one-byte type "char" (pg_class.relkind, pg_constraint.contype…)
const PG_TEXT_OID = 25;

/**
 * A pg Client class that reports columns of type "char" as text. The engine's PostgreSQL
 * introspection selects such catalog columns, and adapter-pg has no column type for OID 18
 * ("Column type 'char' could not be deserialized from the database"); their values already
 * arrive as one-character strings, so calling them text is exact.
 */
function charAsTextClient(pg: typeof import('pg').default): typeof import('pg').Client {
  const fix = (res: unknown) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const f of (r as { fields?: { dataTypeID: number }[] })?.fields ?? []) {
        if (f.dataTypeID === PG_CHAR_OID) f.dataTypeID = PG_TEXT_OID;
      }
    }
    return res;
  };
  return class extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const cb = args.findIndex((a) => typeof a === 'function');
      if (cb >= 0) {
        const original = args[cb];
        args[cb] = (err: unknown, res: unknown) => original(err, err ? res : fix(res));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return (super.query as any)(...args);
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ret = (super.query as any)(...args);
      return typeof ret?.then === 'function' ? ret.then(fix) : ret;
    }
  } as typeof import('pg').Client;
}

/** The error the engine saw through the adapter ("External error id#N"), with the engine's message. */
function explain(e: unknown, registry: { consumeError(id: number): { error: unknown } | undefined }): Error {
  const err = e as Error;
  const m = /External error id#(\d+)/.exec(err?.message ?? '');
  const cause = m ? registry.consumeError(Number(m[1]))?.error : undefined;
  return new Error(`schema engine: ${err?.message ?? String(e)}${cause ? `\ncaused by: ${(cause as Error).message ?? cause}` : ''}`, {
    cause: cause ?? e,
  });
}

/**
 * The SQL that turns the database at `url` into the models (the empty string when they match).
 * The migrations table is not part of the models and is ignored.
 */
export async function diffDatabaseToModels(url: string): Promise<string> {
  const provider = parseDatabaseUrl(url).provider;
  const bg = await loadEngineModule();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const factory = bindMigrationAwareSqlAdapterFactory(await adapterFactory(url));
  const files = [{ path: 'schema.prisma', content: engineSchema(provider) }];
  let engine: EngineTypes.SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', files[0].content]] }, () => undefined, factory);
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: root },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: { externalTables: [provider === 'postgresql' ? `public.${MIGRATIONS_TABLE}` : MIGRATIONS_TABLE], externalEnums: [] },
    });
    return result.exitCode === 0 ? '' : (result.stdout ?? '');
  } catch (e) {
    throw explain(e, factory.errorRegistry);
  } finally {
    engine?.free();
  }
}
