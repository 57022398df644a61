import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { coreConfig, CoreErrors, RiskloopError, type Logger } from "../core/index.ts";
import { driverRawSql, registerDriverSql } from "./driver-sql.ts";
import { PrismaClient } from "./generated/client.ts";
import { applyMigrations } from "./migrate/migrate.ts";
import { lockPgliteDir } from "./pglite-lock.ts";

/** The driver under the Prisma client, exposed for bulk loads (COPY, unnest) that Prisma cannot express. */
export type DatabaseDriver = { kind: "pglite"; pglite: PGlite } | { kind: "postgres"; pool: pg.Pool };

/** An open database: the Prisma client, the driver beneath it, and one way to close both. */
export interface Database {
  prisma: PrismaClient;
  kind: DatabaseDriver["kind"];
  driver: DatabaseDriver;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string (`DATABASE_URL`); when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder (usually `<RISKLOOP_HOME>/db`), or `memory://` for a throw-away database. @defaultValue `.riskloop/db` */
  pgliteDir?: string;
  /** A PGlite data-directory dump (`dumpDataDir`) for a new database to start from, instead of running initdb. */
  pgliteDump?: Blob;
  /** Apply pending migrations before returning. @defaultValue false */
  migrate?: boolean;
  logger?: Logger;
  /** PostgreSQL pool size. @defaultValue 10 */
  poolSize?: number;
}

/**
 * Opens PostgreSQL (when `url` is given) or PGlite, wraps it in a Prisma client and optionally migrates it.
 * A file-backed PGlite folder is locked to this process until `close()`.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const db = opts.url ? await openPostgres(opts.url, opts) : await openPglite(opts);
  if (opts.migrate) {
    try {
      const { applied } = await applyMigrations(db, { logger: opts.logger });
      if (applied.length > 0) opts.logger?.info({ applied }, "database migrated");
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
  // An idle client that loses its server emits 'error' on the pool; unhandled, it would end the process.
  pool.on("error", (err) => opts.logger?.warn({ err }, "idle PostgreSQL connection failed"));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, `PostgreSQL is unreachable: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  registerDriverSql(prisma, driverRawSql({ kind: "postgres", pool }));
  return {
    prisma,
    kind: "postgres",
    driver: { kind: "postgres", pool },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

async function openPglite(opts: OpenDatabaseOptions): Promise<Database> {
  const dataDir = opts.pgliteDir ?? path.join(coreConfig.home.default ?? ".riskloop", "db");
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => {} : lockPgliteDir(dataDir);
  let pglite: PGlite;
  try {
    pglite = new PGlite({ dataDir, ...(opts.pgliteDump ? { loadDataDir: opts.pgliteDump } : {}) });
    await pglite.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  registerDriverSql(prisma, driverRawSql({ kind: "pglite", pglite }));
  return {
    prisma,
    kind: "pglite",
    driver: { kind: "pglite", pglite },
    close: once(async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
