import { pgArray, type SqlSession } from "./sql-session.ts";

/** A per-row column: its name in the target table and how it is stored. */
export interface BulkColumn {
  name: string;
  /** `time` columns travel as epoch ms and are converted to timestamptz on insert. */
  type: "time" | "numeric" | "int4";
}

/** How one kind of row (candles, ticks) is loaded into its table. */
export interface BulkSpec<T> {
  table: string;
  /** Columns with one value for the whole load (symbol, timeframe, synthetic), with their SQL types; `key` marks those in the primary key. */
  constants: { name: string; sqlType: string; value: string | boolean; key?: boolean }[];
  /** Per-row columns; the first must be the `time` column. */
  columns: BulkColumn[];
  /** The batch's values, one array per entry of `columns`. */
  values(batch: T): (Float64Array | Int32Array)[];
}

/** Rows given to the database and rows it actually inserted (the rest were already stored). */
export interface BulkResult {
  sent: number;
  inserted: number;
}

const cast = (c: BulkColumn, ref: string) => (c.type === "time" ? `to_timestamp(${ref} / 1000)` : `${ref}::${c.type}`);

/**
 * Loads batches into `spec.table`, skipping rows whose key is already stored. Call it inside a transaction
 * (withTransaction). PostgreSQL: one `INSERT … SELECT … FROM unnest(arrays) ON CONFLICT DO NOTHING` per
 * batch, the next batch parsed while the database works on the current one. PGlite: see `pgliteLoad`.
 */
export async function bulkInsert<T>(session: SqlSession, spec: BulkSpec<T>, batches: AsyncIterable<T> | Iterable<T>): Promise<BulkResult> {
  if (session.kind === "pglite") return pgliteLoad(session, spec, batches);
  const constValues = spec.constants.map((c) => c.value);
  const refs = spec.columns.map((_, i) => `c${i}`);
  const arrays = spec.columns.map((c, i) => `$${constValues.length + i + 1}::${c.type === "time" ? "float8" : c.type}[]`);
  const sql =
    `INSERT INTO ${spec.table} (${[...spec.constants, ...spec.columns].map((c) => c.name).join(", ")}) ` +
    `SELECT ${[...spec.constants.map((c, i) => `$${i + 1}::${c.sqlType}`), ...spec.columns.map((c, i) => (c.type === "time" ? cast(c, refs[i]!) : refs[i]))].join(", ")} ` +
    `FROM unnest(${arrays.join(", ")}) AS u(${refs.join(", ")}) ON CONFLICT DO NOTHING`;
  let sent = 0;
  let inserted = 0;
  let pending: Promise<{ rowCount: number }> | undefined;
  try {
    for await (const batch of batches) {
      const cols = spec.values(batch);
      const n = cols[0]?.length ?? 0;
      if (n === 0) continue;
      const params = [...constValues, ...cols.map(pgArray)];
      if (pending) inserted += (await pending).rowCount;
      pending = session.query(sql, params);
      // Marked handled now: it may fail while the next batch is being parsed; the await above reports it.
      pending.catch(() => {});
      sent += n;
    }
    if (pending) inserted += (await pending).rowCount;
  } finally {
    // A failing source must not leave a query in flight on the transaction's connection.
    await pending?.catch(() => {});
  }
  return { sent, inserted };
}

/** PostgreSQL's binary COPY format with every column a float8 (NaN as NULL): no number formatting or parsing. */
function binaryCopy(cols: (Float64Array | Int32Array)[]): Blob {
  const n = cols[0]!.length;
  const k = cols.length;
  const bytes = new Uint8Array(19 + n * (2 + k * 12) + 2);
  const view = new DataView(bytes.buffer);
  bytes.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // "PGCOPY\n\xff\r\n\0", then two zero int32s
  let at = 19;
  for (let r = 0; r < n; r++) {
    view.setInt16(at, k);
    at += 2;
    for (let c = 0; c < k; c++) {
      const v = cols[c]![r]!;
      if (Number.isNaN(v)) {
        view.setInt32(at, -1);
        at += 4;
      } else {
        view.setInt32(at, 8);
        view.setFloat64(at + 4, v);
        at += 12;
      }
    }
  }
  view.setInt16(at, -1);
  return new Blob([bytes.subarray(0, at + 2)]);
}

/**
 * PGlite: each batch is COPYed (binary, from a blob) into a small temporary table and inserted from there.
 * PGlite is a single session in a single process, so nothing else can write between our check and our
 * insert: a batch whose time range holds no stored rows is inserted plainly (half the cost of ON CONFLICT),
 * others with ON CONFLICT DO NOTHING.
 */
async function pgliteLoad<T>(session: SqlSession, spec: BulkSpec<T>, batches: AsyncIterable<T> | Iterable<T>): Promise<BulkResult> {
  const stage = `stage_${spec.table}`;
  const refs = spec.columns.map((_, i) => `c${i}`);
  const constValues = spec.constants.map((c) => c.value);
  const constExprs = spec.constants.map((c, i) => `$${i + 1}::${c.sqlType}`);
  const time = spec.columns[0]!.name;
  const insert =
    `INSERT INTO ${spec.table} (${[...spec.constants, ...spec.columns].map((c) => c.name).join(", ")}) ` +
    `SELECT ${[...constExprs, ...spec.columns.map((c, i) => cast(c, `s.${refs[i]}`))].join(", ")} FROM ${stage} s`;
  const keyConstants = spec.constants.filter((c) => c.key);
  const overlap =
    `SELECT EXISTS (SELECT 1 FROM ${spec.table} t WHERE ${keyConstants.map((c, i) => `t.${c.name} = $${i + 1}::${c.sqlType}`).join(" AND ")} ` +
    `AND t.${time} BETWEEN to_timestamp($${keyConstants.length + 1}::float8 / 1000) AND to_timestamp($${keyConstants.length + 2}::float8 / 1000)) AS hit`;

  await session.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (${refs.map((r) => `${r} float8`).join(", ")}) ON COMMIT DROP`);
  let sent = 0;
  let inserted = 0;
  for await (const batch of batches) {
    const cols = spec.values(batch);
    const times = cols[0]!;
    const n = times.length;
    if (n === 0) continue;
    await session.query(`TRUNCATE ${stage}`);
    await session.copyFrom(`COPY ${stage} FROM '/dev/blob' WITH (FORMAT binary)`, binaryCopy(cols));
    const { rows } = await session.query<{ hit: boolean }>(overlap, [...keyConstants.map((c) => c.value), times[0]!, times[n - 1]!]);
    const r = await session.query(rows[0]?.hit ? `${insert} ON CONFLICT DO NOTHING` : insert, constValues);
    sent += n;
    inserted += r.rowCount;
  }
  await session.query(`TRUNCATE ${stage}`);
  return { sent, inserted };
}
