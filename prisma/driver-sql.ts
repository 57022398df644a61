import type { DatabaseDriver } from "./database.ts";

/** Anything that runs raw SQL with positional parameters: a Prisma client, a transaction client, or a driver. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Raw SQL straight on the driver beneath a Prisma client. Prisma's raw path costs about half a millisecond
 * per statement on PGlite (and a share of that on PostgreSQL) over the driver's own, which the copy fan-out's
 * few statements between a master's trade and the slaves' orders feel. Values come back as the driver parses
 * them (numerics and bigints as text on PostgreSQL), so the statements that use it return text, JSON or ids.
 * On PGlite a query waits for an open Prisma transaction, as Prisma's own queries do.
 */
export function driverRawSql(driver: DatabaseDriver): RawSql {
  if (driver.kind === "pglite") {
    const { pglite } = driver;
    return {
      $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await pglite.query(query, values)).rows as T,
      $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await pglite.query(query, values)).affectedRows ?? 0,
    };
  }
  const { pool } = driver;
  return {
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await pool.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await pool.query(query, values)).rowCount ?? 0,
  };
}

const beneath = new WeakMap<object, RawSql>();

/** Registers the driver's raw SQL beneath a client `openDatabase` made. */
export function registerDriverSql(client: object, sql: RawSql): void {
  beneath.set(client, sql);
}

/**
 * The fastest raw SQL for a client: its driver's when `openDatabase` made the client, else the client itself
 * (a transaction client, whose statements must stay inside its transaction).
 */
export function rawSqlOf(client: RawSql): RawSql {
  return beneath.get(client) ?? client;
}
