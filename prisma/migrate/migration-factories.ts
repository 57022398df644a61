import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { scratchPglite } from "./pglite-dump.ts";

/**
 * Driver adapter factories for the schema engine. Both stock adapters mishandle migration scripts, which the
 * engine hands over whole through `executeScript`:
 * - `pglite-prisma-adapter` 0.7.2 does not await the script: a failing migration is recorded as applied and
 *   its error escapes as an unhandled rejection. Its shadow databases are never closed, and PGlite's 10 s
 *   timer then keeps the process alive.
 * - `@prisma/adapter-pg` 7.10 splits the script on every ";" (even inside strings and function bodies) and
 *   runs the pieces one by one on whichever pooled connection is free, so a failing migration leaves its
 *   first statements applied. The engine's session-level advisory lock is also never released: the
 *   connection holding it goes back to the pool.
 * Here each script runs as one simple-protocol query (one implicit transaction, as Prisma's native engine
 * does), PostgreSQL gets a one-connection pool of its own that is ended on close, and shadow PGlite
 * databases are closed.
 */
export interface MigrationFactory extends SqlMigrationAwareDriverAdapterFactory {
  close(): Promise<void>;
}

/** The schema engine's view of a PGlite database. */
export class PgliteMigrationFactory implements MigrationFactory {
  readonly provider = "postgres";
  readonly adapterName = "pglite-prisma-adapter";
  private readonly shadows = new Set<PGlite>();

  /** `owned`: `close()` closes `pglite` too. */
  constructor(
    private readonly pglite: PGlite,
    private readonly owned = false,
  ) {}

  /** A factory over a new, empty, in-memory database of its own, for work that needs no real target. */
  static async scratch(): Promise<PgliteMigrationFactory> {
    return new PgliteMigrationFactory(await scratchPglite(), true);
  }

  async connect(): Promise<SqlDriverAdapter> {
    return withScript(await new PrismaPGlite(this.pglite).connect(), (script) => this.pglite.exec(script));
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = await scratchPglite();
    this.shadows.add(shadow);
    const adapter = withScript(await new PrismaPGlite(shadow).connect(), (script) => shadow.exec(script));
    adapter.dispose = () => this.closeShadow(shadow);
    return adapter;
  }

  /** Closes the shadow databases the engine opened and did not dispose of (and an owned database). */
  async close(): Promise<void> {
    await Promise.all([...this.shadows].map((s) => this.closeShadow(s)));
    if (this.owned) await this.pglite.close();
  }

  private async closeShadow(shadow: PGlite): Promise<void> {
    if (this.shadows.delete(shadow)) await shadow.close();
  }
}

/** The schema engine's view of a PostgreSQL database, on one dedicated connection. */
export class PostgresMigrationFactory implements MigrationFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pool: pg.Pool;
  private readonly inner: PrismaPg;

  constructor(options: pg.PoolConfig) {
    this.pool = new pg.Pool({ ...options, max: 1 });
    // An idle-connection error surfaces on the next query; unhandled here it would end the process.
    this.pool.on("error", () => {});
    this.inner = new PrismaPg(this.pool);
  }

  async connect(): Promise<SqlDriverAdapter> {
    return withScript(await this.inner.connect(), (script) => this.pool.query(script));
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.inner.connectToShadowDb();
  }

  /** Ends the connection, which also releases the engine's advisory lock. */
  async close(): Promise<void> {
    await this.pool.end();
  }
}

function withScript(adapter: SqlDriverAdapter, run: (script: string) => Promise<unknown>): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (err) {
      throw toDriverAdapterError(err);
    }
  };
  return adapter;
}

/** PGlite and node-postgres errors share PostgreSQL's fields; the engine understands them in this shape. */
function toDriverAdapterError(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown; severity?: unknown; detail?: unknown; column?: unknown; hint?: unknown };
  if (typeof e.code !== "string" || typeof e.message !== "string") return err;
  const text = (v: unknown) => (typeof v === "string" ? v : undefined);
  return new DriverAdapterError({
    kind: "postgres",
    code: e.code,
    severity: text(e.severity) ?? "ERROR",
    message: e.message,
    detail: text(e.detail),
    column: text(e.column),
    hint: text(e.hint),
    originalCode: e.code,
    originalMessage: e.message,
  });
}
