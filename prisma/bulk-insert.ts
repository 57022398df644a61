import type { RawSql } from "./driver-sql.ts";

/** A row keyed by Prisma field names; every column is `snake_case` of its field (the schema's convention). */
export type Row = Record<string, unknown>;

const IDENT = /^[a-z][a-z0-9_]*$/;

const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The `INSERT … SELECT` of `rows` into `table` from one JSON parameter (`$<param>`), through
 * `json_populate_recordset`, which converts every value to its column's type (enums, numerics, timestamps,
 * JSONB, arrays). Columns left out of the rows keep their defaults. `tail` is appended (ON CONFLICT, RETURNING,
 * or a WHERE on the source rows named `r`). Table and field names come from code, never from input; they are
 * still checked.
 */
export function insertSql(table: string, rows: readonly Row[], param: number, tail = ""): string {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cols = fields.map(column);
  for (const name of [table, ...cols]) if (!IDENT.test(name)) throw new Error(`bulk insert: ${name} is not a plain identifier`);
  const list = cols.map((c) => `"${c}"`).join(", ");
  return `INSERT INTO "${table}" (${list}) SELECT ${cols.map((c) => `r."${c}"`).join(", ")} FROM json_populate_recordset(NULL::"${table}", $${param}::json) AS r ${tail}`;
}

/** The rows as the JSON parameter `insertSql` reads: undefined becomes NULL, Decimals and Dates their text. */
export function rowsParam(rows: readonly Row[]): string {
  const names = new Map<string, string>();
  const name = (field: string) => names.get(field) ?? names.set(field, column(field)).get(field)!;
  return JSON.stringify(
    rows.map((r) => {
      const out: Record<string, unknown> = {};
      for (const k in r) out[name(k)] = r[k] === undefined ? null : r[k];
      return out;
    }),
  );
}

/**
 * Inserts many rows in one statement: Prisma's `createMany` compiles and binds every row on the JavaScript
 * side, which costs about a millisecond a row; this costs one round trip and a JSON parse in the database.
 * Returns what `returning` names (snake_case columns), e.g. the ids actually inserted under ON CONFLICT DO NOTHING.
 */
export async function insertRows<R = Record<string, unknown>>(
  db: RawSql,
  table: string,
  rows: readonly Row[],
  opts: { onConflict?: string; returning?: string } = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const tail = `${opts.onConflict ? `ON CONFLICT ${opts.onConflict}` : ""} ${opts.returning ? `RETURNING ${opts.returning}` : ""}`;
  const sql = insertSql(table, rows, 1, tail);
  if (opts.returning) return db.$queryRawUnsafe<R[]>(sql, rowsParam(rows));
  await db.$executeRawUnsafe(sql, rowsParam(rows));
  return [];
}
