/**
 * The database layer: the Prisma client and its types, the database factory (PGlite or PostgreSQL) and the
 * migration runner. Other areas import from here, never from `prisma/generated`.
 */
export * from "./generated/client.ts";
export { openDatabase, type Database, type DatabaseDriver, type OpenDatabaseOptions } from "./database.ts";
export { AuditLog, type AuditEntry } from "./audit-log.ts";
export { insertRows, insertSql, rowsParam, type Row } from "./bulk-insert.ts";
export { rawSqlOf, type RawSql } from "./driver-sql.ts";
export { dbConfig } from "./db.config.ts";
export { DbErrors } from "./db.errors.ts";
export {
  applyMigrations,
  checkDrift,
  createMigration,
  migrationStatus,
  type MigrateOptions,
  type MigrationStatus,
} from "./migrate/migrate.ts";
export { migrationsHash, MIGRATIONS_DIR, SCHEMA_PATH } from "./migrate/migrations-list.ts";
export { emptyPgliteDump, pgliteVersion } from "./migrate/pglite-dump.ts";
