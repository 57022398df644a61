import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { emptyPgliteDump, openDatabase, type Database } from "../../prisma/index.ts";
import { eventually } from "./eventually.ts";
import {
  PG_TEST_DB_PREFIX,
  pgliteTemplate,
  postgresUrlFor,
  preparePostgresTemplate,
  withAdmin,
} from "./global-setup.ts";
import { serviceAvailable } from "./services.ts";

export type DatabaseKind = Database["kind"];

/** Whether PostgreSQL suites run here (printed skip reason, or a throw under RISKLOOP_REQUIRE_SERVICES=1). */
export const postgresAvailable = await serviceAvailable("postgres");

let template: Promise<string> | undefined;

/**
 * A new database of `kind`, fully migrated (the default) or empty (`{ migrated: false }`, for migration tests).
 * PGlite loads a dump (~0.3 s; the migrated one is made by global setup); PostgreSQL copies a template.
 * Its `close()` also drops the PostgreSQL database.
 */
export async function freshDatabase(kind: DatabaseKind, opts: { migrated?: boolean } = {}): Promise<Database> {
  const migrated = opts.migrated ?? true;
  if (kind === "pglite") {
    return openDatabase({ pgliteDir: "memory://", pgliteDump: await (migrated ? pgliteTemplate() : emptyPgliteDump()) });
  }
  const name = `${PG_TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;
  if (migrated) {
    template ??= preparePostgresTemplate();
    const source = await template;
    // Two clones of one template at the same instant can collide ("source database is being accessed").
    await eventually(() => withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`)), 10_000, 50);
  } else {
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  }
  const db = await openDatabase({ url: postgresUrlFor(name), poolSize: 4 });
  return {
    ...db,
    async close() {
      await db.close();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Declares the suite once on a fresh PGlite database and once on a fresh PostgreSQL database (when one is
 * reachable). `getDb()` works inside tests and hooks; the database is created before the suite's own
 * `beforeAll` hooks run and closed (and dropped) after the suite.
 */
export function describeEachDatabase(name: string, body: (getDb: () => Database) => void): void {
  for (const kind of ["pglite", "postgres"] as const) {
    describe.skipIf(kind === "postgres" && !postgresAvailable)(`${name} [${kind}]`, () => {
      let db: Database | undefined;
      beforeAll(async () => {
        db = await freshDatabase(kind);
      });
      afterAll(async () => {
        await db?.close();
      });
      body(() => {
        if (!db) throw new Error("getDb() is for tests and hooks; the database does not exist while the suite is declared");
        return db;
      });
    });
  }
}
