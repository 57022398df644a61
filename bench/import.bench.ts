import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { concatColumns, importCandles, openMarketFile, resampleCandles, type CandleColumns } from "../analysis/market-data/index.ts";
import type { Database } from "../prisma/index.ts";
import { freshDatabase, postgresAvailable } from "../test/kit/db.ts";
import { sharedDataPath } from "../test/kit/shared-data.ts";

const ROWS = 1_000_000;
const WEEK_MS = 7 * 86_400_000;
const SOURCE = sharedDataPath("prices", "histdata_btgym", "histdata_eurusd_m1_2017H1_est.csv.gz");

async function readAll(file: string): Promise<CandleColumns> {
  const parts: CandleColumns[] = [];
  for await (const b of (await openMarketFile(file)).bars()) parts.push(b);
  return concatColumns(parts);
}

function iso(t: number): string {
  return new Date(t).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * 1M M1 bars as a CSV in os.tmpdir(): the real HistData EURUSD M1 (186k bars) repeated forward in time, each
 * copy shifted by whole weeks so sessions and weekend gaps stay where they were.
 */
async function benchFile(): Promise<string> {
  const file = path.join(os.tmpdir(), `riskloop-bench-eurusd-m1-${ROWS}.csv`);
  if (existsSync(file)) return file;
  const real = await readAll(SOURCE);
  const m = real.time.length;
  const span = Math.ceil((real.time[m - 1]! - real.time[0]! + 60_000) / WEEK_MS) * WEEK_MS;
  const lines = ["time_utc,open,high,low,close,volume"];
  for (let i = 0; i < ROWS; i++) {
    const j = i % m;
    const t = real.time[j]! + Math.floor(i / m) * span;
    lines.push(`${iso(t)},${real.open[j]},${real.high[j]},${real.low[j]},${real.close[j]},${real.volume[j]}`);
  }
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** CPU seconds used so far by the server processes serving this database (Linux /proc; 0 where unreadable). */
async function serverCpu(db: Database): Promise<number> {
  if (db.driver.kind !== "postgres") return 0;
  const { rows } = await db.driver.pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended or /proc is not there.
    }
  }
  return ticks / 100;
}

async function importTwice(kind: "pglite" | "postgres", file: string): Promise<Record<string, number>> {
  const db = await freshDatabase(kind);
  try {
    const cpu = process.cpuUsage();
    const server = await serverCpu(db);
    const first = await importCandles(db, file, { symbol: "EURUSD", timeframe: "M1" });
    const used = process.cpuUsage(cpu);
    const serverUsed = (await serverCpu(db)) - server;
    if (first.inserted !== ROWS) throw new Error(`${kind}: inserted ${first.inserted}, expected ${ROWS}`);
    const again = await importCandles(db, file, { symbol: "EURUSD", timeframe: "M1" });
    if (again.inserted !== 0) throw new Error(`${kind}: re-import inserted ${again.inserted}`);
    return {
      [`${kind}_import_1m_m1_s`]: round(first.seconds),
      [`${kind}_import_rows_per_s`]: Math.round(ROWS / first.seconds),
      // This process's CPU time (for PGlite that is all of it): comparable across runs on a busy machine.
      [`${kind}_import_process_cpu_s`]: round((used.user + used.system) / 1e6),
      ...(kind === "postgres" ? { postgres_import_server_cpu_s: round(serverUsed) } : {}),
      [`${kind}_reimport_s`]: round(again.seconds),
    };
  } finally {
    await db.close();
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Import of 1M real-derived EURUSD M1 bars into fresh PGlite and PostgreSQL, re-import, and resampling to H1. */
export default async function run(): Promise<Record<string, unknown>> {
  if (!existsSync(SOURCE)) return { skipped: `real data ${SOURCE} is absent` };
  const file = await benchFile();
  const out: Record<string, unknown> = { rows: ROWS, source: "HistData EURUSD M1 2017H1 tiled forward by whole weeks", load_average_1m: round(os.loadavg()[0]!) };

  let started = performance.now();
  const bars = await readAll(file);
  out.parse_only_s = round((performance.now() - started) / 1000);

  const runs: number[] = [];
  let h1 = 0;
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    h1 = resampleCandles(bars, "H1").time.length;
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  out.resample_1m_m1_to_h1_ms = round(runs[2]!);
  out.resample_h1_bars = h1;

  Object.assign(out, await importTwice("pglite", file));
  if (postgresAvailable) Object.assign(out, await importTwice("postgres", file));
  else out.postgres = "skipped: PostgreSQL is not reachable";
  return out;
}
