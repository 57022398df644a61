import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { emptyPgliteDump, migrationsHash, openDatabase, pgliteVersion } from "../../prisma/index.ts";
import { POSTGRES_URL, serviceAvailable } from "./services.ts";

/**
 * Migrated database templates, so a suite's fresh database is a copy rather than a migration run: a PGlite
 * data-directory dump under os.tmpdir() and a PostgreSQL template database, both named by the migrations'
 * hash (a new migration makes new templates; two checkouts with different migrations never share one).
 */

const PGLITE_DUMP_PREFIX = "riskloop-test-pglite-";
const PG_TEMPLATE_PREFIX = "riskloop_tpl_";
/** Fresh test databases are `riskloop_t_<epoch seconds>_<random>`; the epoch lets a later run drop leftovers. */
export const PG_TEST_DB_PREFIX = "riskloop_t_";
const LEFTOVER_AGE_S = 6 * 3600;
const READY = "riskloop test template (ready)";

async function templateKey(): Promise<string> {
  return (await migrationsHash()).slice(0, 16);
}

/** Path of the migrated PGlite dump, creating it when missing. Idempotent and safe across processes. */
export async function preparePgliteTemplate(): Promise<string> {
  // PGlite dumps only load into the PGlite version that wrote them, so the version is part of the name.
  const file = path.join(os.tmpdir(), `${PGLITE_DUMP_PREFIX}${pgliteVersion()}-${await templateKey()}.tar`);
  if (existsSync(file)) return file;
  const db = await openDatabase({ pgliteDir: "memory://", pgliteDump: await emptyPgliteDump(), migrate: true });
  try {
    if (db.driver.kind !== "pglite") throw new Error("expected a PGlite database");
    const dump = await db.driver.pglite.dumpDataDir("none");
    // Written aside and renamed, so a concurrent reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await db.close();
  }
  for (const name of await readdir(os.tmpdir())) {
    const stale = path.join(os.tmpdir(), name);
    if (name.startsWith(PGLITE_DUMP_PREFIX) && stale !== file && !name.endsWith(".partial")) await rm(stale, { force: true });
  }
  return file;
}

/** The PGlite dump as a Blob, read once per process. */
let dumpBlob: Promise<Blob> | undefined;
export function pgliteTemplate(): Promise<Blob> {
  dumpBlob ??= preparePgliteTemplate().then(async (file) => new Blob([await readFile(file)]));
  return dumpBlob;
}

/** `POSTGRES_URL` pointing at another database on the same server. */
export function postgresUrlFor(database: string): string {
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `fn` on a short-lived connection to the server's maintenance database. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Name of the migrated PostgreSQL template database, building it when missing. Serialised across processes. */
export async function preparePostgresTemplate(): Promise<string> {
  const template = `${PG_TEMPLATE_PREFIX}${await templateKey()}`;
  return withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock(hashtext('riskloop_test_template'))");
    try {
      const { rows } = await admin.query<{ ready: boolean }>(
        "SELECT shobj_description(oid, 'pg_database') = $2 AS ready FROM pg_database WHERE datname = $1",
        [template, READY],
      );
      if (!rows[0]?.ready) {
        // Absent, or left half-built by a run that died: build it from scratch.
        await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${template}"`);
        const db = await openDatabase({ url: postgresUrlFor(template), migrate: true, poolSize: 1 });
        await db.close();
        await admin.query(`COMMENT ON DATABASE "${template}" IS '${READY}'`);
      }
      await dropLeftovers(admin, template);
      return template;
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext('riskloop_test_template'))");
    }
  });
}

/** Older templates, and test databases of runs that died before dropping them (by the epoch in their name). */
async function dropLeftovers(admin: pg.Client, keep: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'riskloop\\_t%' AND datname <> $1",
    [keep],
  );
  const cutoff = Date.now() / 1000 - LEFTOVER_AGE_S;
  for (const { datname } of rows) {
    const epoch = /^riskloop_t_(\d+)_[0-9a-f]+$/.exec(datname)?.[1];
    if (datname.startsWith(PG_TEMPLATE_PREFIX) || (epoch !== undefined && Number(epoch) < cutoff)) {
      // Without FORCE: a database someone is still using stays, and goes on a later run.
      await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => {});
    }
  }
}

/** Vitest global setup: builds the templates once before any suite runs. */
export default async function setup(): Promise<void> {
  const started = performance.now();
  await preparePgliteTemplate();
  if (await serviceAvailable("postgres")) await preparePostgresTemplate();
  const ms = performance.now() - started;
  if (ms > 1000) console.log(`[global-setup] database templates built in ${(ms / 1000).toFixed(1)} s`);
}
