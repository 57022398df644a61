import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { invalid, RiskloopError, type Logger } from "../../core/index.ts";
import type { Database } from "../database.ts";
import { DbErrors } from "../db.errors.ts";
import {
  LOCKFILE_CONTENT,
  MIGRATIONS_DIR,
  readMigrationsList,
  readSchemaFile,
  type MigrationPaths,
  type MigrationsList,
} from "./migrations-list.ts";
import {
  PgliteMigrationFactory,
  PostgresMigrationFactory,
  type MigrationFactory,
} from "./migration-factories.ts";
import { lastEnginePanic, openSchemaEngine, type SchemaEngine, type SchemaFile } from "./schema-engine.ts";

/** Where to read the schema and migrations from, and where engine logs go (debug level). */
export interface MigrateOptions extends MigrationPaths {
  logger?: Logger;
}

/** How a database's migration history compares with the migrations folder. */
export interface MigrationStatus {
  /** Nothing pending, nothing unknown, failed or edited. */
  upToDate: boolean;
  /** In the folder, not applied to the database. */
  pending: string[];
  /** Applied to the database, absent from the folder (the database is ahead of this checkout). */
  unknown: string[];
  /** Started and not finished: the database needs a person. */
  failed: string[];
  /** Applied, and the script in the folder has changed since. */
  edited: string[];
  hasMigrationsTable: boolean;
}

// Tables and enums outside Prisma's management; none.
const FILTERS = { externalTables: [], externalEnums: [] };

/** Applies every pending migration to `target`; returns the names applied (empty when already up to date). */
export async function applyMigrations(target: Database, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const [list, schema] = await Promise.all([readMigrationsList(opts.migrationsDir), readSchemaFile(opts.schemaPath)]);
  return withEngine(targetFactory(target), schema, opts, DbErrors.DB_ERR_MIGRATION_FAILED, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: list, filters: FILTERS });
    return { applied: out.appliedMigrationNames };
  });
}

/** Compares `target`'s `_prisma_migrations` with the migrations folder (detects edited migrations too). */
export async function migrationStatus(target: Database, opts: MigrateOptions = {}): Promise<MigrationStatus> {
  const [list, schema] = await Promise.all([readMigrationsList(opts.migrationsDir), readSchemaFile(opts.schemaPath)]);
  const out = await withEngine(targetFactory(target), schema, opts, DbErrors.DB_ERR_SCHEMA_ENGINE, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: FILTERS }),
  );
  const h = out.history;
  const pending = h && h.diagnostic !== "migrationsDirectoryIsBehind" ? h.unappliedMigrationNames : [];
  const unknown = h && h.diagnostic !== "databaseIsBehind" ? h.unpersistedMigrationNames : [];
  return {
    upToDate: h === null && out.failedMigrationNames.length === 0 && out.editedMigrationNames.length === 0,
    pending,
    unknown,
    failed: out.failedMigrationNames,
    edited: out.editedMigrationNames,
    hasMigrationsTable: out.hasMigrationsTable,
  };
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` with the SQL that takes the committed migrations
 * to the current schema, and `migration_lock.toml`. Returns null when the schema needs no change. Needs no
 * server: the history is replayed into throw-away in-memory PGlite databases.
 */
export async function createMigration(
  name: string,
  opts: MigrateOptions = {},
): Promise<{ name: string; dir: string; sql: string } | null> {
  if (!/^[a-z0-9][a-z0-9_]{0,80}$/.test(name)) throw invalid("name", "use lower-case letters, digits and _ (e.g. add_alerts)");
  const dir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const [list, schema] = await Promise.all([readMigrationsList(dir), readSchemaFile(opts.schemaPath)]);
  const out = await withEngine(await PgliteMigrationFactory.scratch(), schema, opts, DbErrors.DB_ERR_SCHEMA_ENGINE, async (engine) => {
    await engine.applyMigrations({ migrationsList: list, filters: FILTERS });
    // createMigration relies on state devDiagnostic leaves behind (history replayed into the shadow database).
    await engine.devDiagnostic({ migrationsList: list, filters: FILTERS });
    return engine.createMigration({ draft: false, migrationName: name, migrationsList: list, schema: { files: [schema] }, filters: FILTERS });
  });
  if (out.migrationScript === null) return null;
  const target = path.join(dir, out.generatedMigrationName);
  await mkdir(target, { recursive: true });
  await writeFile(path.join(target, "migration.sql"), out.migrationScript);
  await writeFile(path.join(dir, "migration_lock.toml"), list.lockfile.content ?? LOCKFILE_CONTENT);
  return { name: out.generatedMigrationName, dir: target, sql: out.migrationScript };
}

/**
 * The SQL that would take the committed migrations to `schema.prisma`; empty when they agree. A non-empty
 * result means someone changed the schema without creating a migration (or edited a migration by hand).
 */
export async function checkDrift(opts: MigrateOptions = {}): Promise<string> {
  const [list, schema] = await Promise.all([readMigrationsList(opts.migrationsDir), readSchemaFile(opts.schemaPath)]);
  const from = list.migrationDirectories.length === 0 ? ({ tag: "empty" } as const) : { tag: "migrations" as const, ...withLockfile(list) };
  const out = await withEngine(await PgliteMigrationFactory.scratch(), schema, opts, DbErrors.DB_ERR_SCHEMA_ENGINE, (engine) =>
    engine.diff({ from, to: { tag: "schemaDatamodel", files: [schema] }, script: true, exitCode: true, filters: FILTERS }),
  );
  return out.exitCode === 2 ? (out.stdout ?? "").trim() : "";
}

/** The engine refuses a history without a lock file, which a brand-new folder may lack. */
function withLockfile(list: MigrationsList): MigrationsList {
  return list.lockfile.content === null ? { ...list, lockfile: { ...list.lockfile, content: LOCKFILE_CONTENT } } : list;
}

function targetFactory(target: Database): MigrationFactory {
  return target.driver.kind === "postgres"
    ? new PostgresMigrationFactory(target.driver.pool.options)
    : new PgliteMigrationFactory(target.driver.pglite);
}

/** Runs `fn` on an engine over `target`, closes both, and turns engine failures into `errorCode`. */
async function withEngine<T>(
  target: MigrationFactory,
  schema: SchemaFile,
  opts: MigrateOptions,
  errorCode: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const log = opts.logger ? (line: string) => opts.logger?.debug({ engine: line }, "schema engine") : undefined;
  try {
    const opened = await openSchemaEngine(target, schema, log);
    try {
      return await fn(opened.engine);
    } finally {
      opened.close();
    }
  } catch (err) {
    throw engineError(errorCode, err);
  } finally {
    await target.close();
  }
}

/** The engine's messages end in a Rust span trace; the first lines say what went wrong. */
function engineError(code: string, err: unknown): RiskloopError {
  if (err instanceof RiskloopError) return err;
  // A Rust panic traps as a bare RuntimeError ("unreachable"); its message went to the panic registry.
  const panic = err instanceof Error && err.name === "RuntimeError" ? lastEnginePanic() : undefined;
  const message = panic ?? (err instanceof Error ? err.message : String(err));
  const headline = message.split(/\n\s+0: /)[0]?.trim() ?? message;
  return new RiskloopError(code, headline, { engineError: err instanceof Error ? err.name : undefined }, { cause: err });
}
