import type { Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import type { Database } from "../../prisma/index.ts";

/** The driver beneath Prisma, for bulk loads and bulk reads that Prisma cannot express efficiently. */
export interface SqlSession {
  readonly kind: Database["kind"];
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** `COPY … FROM '/dev/blob'` with the blob as input (PGlite only). */
  copyFrom(text: string, blob: Blob): Promise<void>;
}

function pgliteSession(q: Pick<Transaction, "query">): SqlSession {
  return {
    kind: "pglite",
    async query<R>(text: string, params?: unknown[]) {
      const r = await q.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async copyFrom(text, blob) {
      await q.query(text, [], { blob });
    },
  };
}

function postgresSession(q: pg.Pool | pg.PoolClient): SqlSession {
  return {
    kind: "postgres",
    async query<R>(text: string, params?: unknown[]) {
      const r = await q.query(text, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    copyFrom() {
      return Promise.reject(new Error("COPY from a blob is a PGlite feature"));
    },
  };
}

/** Statements outside any transaction (reads). */
export function sqlSession(db: Database): SqlSession {
  return db.driver.kind === "pglite" ? pgliteSession(db.driver.pglite) : postgresSession(db.driver.pool);
}

/** Runs `fn` in one transaction on one connection: everything it writes commits together or not at all. */
export async function withTransaction<T>(db: Database, fn: (session: SqlSession) => Promise<T>): Promise<T> {
  const driver = db.driver;
  if (driver.kind === "pglite") return driver.pglite.transaction((tx) => fn(pgliteSession(tx)));
  const client = await driver.pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(postgresSession(client));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** A PostgreSQL array literal of numbers; NaN becomes NULL. */
export function pgArray(values: Float64Array | Int32Array): string {
  const parts: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    parts[i] = Number.isNaN(v) ? "NULL" : String(v);
  }
  return `{${parts.join(",")}}`;
}
