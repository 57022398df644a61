import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createLogger, dec, type Logger, type Tick } from "../core/index.ts";
import { BullmqRuntime } from "../jobs/index.ts";
import { openDatabase, type Database } from "../prisma/index.ts";
import { copyWorker, type CopyWorker } from "../test/kit/copy-worker.ts";
import { PaperBroker, seedCopyAccounts, syntheticTicks } from "../trading/copy/testing/paper-broker.ts";
import { readLeanTicks } from "../trading/paper/testing/lean-csv.ts";
import { TEST_INSTRUMENTS } from "../trading/paper/testing/paper-instruments.ts";
import { reachable } from "../test/kit/services.ts";

/**
 * Copy fan-out: one master trade on a paper master copied to 1, 100 and 1,000 paper slaves, through the whole
 * engine (detection, persisted signal, fan-out, rules, SRM decision with its database write, execution with its
 * journal write) in one process on PGlite and on PostgreSQL, and through BullMQ with two worker processes on
 * the local Redis and PostgreSQL. Latency: master position event → each slave's order handed to its broker
 * (the broker's round trip and everything after it excluded), p50/p99 over every slave and round. Throughput:
 * copies completed (fill booked and copy logged) per second while one signal's fan-out drains. Through BullMQ the
 * rounds start once both workers hold the lanes the split gives them: a lane handed over at start-up waits for its
 * new holder, which is the cost of a worker joining, not of a fan-out.
 */

const FROM = Date.UTC(2014, 4, 1, 8, 0, 0);
const RANGE = { from: FROM, to: FROM + 2 * 3_600_000 };
const TICKS_FILE = path.resolve(import.meta.dirname, "../../shared/data/prices/lean/oanda_eurusd_tick_bidask.csv.gz");
const PG_ADMIN = process.env.RISKLOOP_BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.RISKLOOP_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const EURUSD = TEST_INSTRUMENTS.filter((s) => s.symbol === "EURUSD");
const wallNow = () => performance.timeOrigin + performance.now();
const logger = createLogger({ level: "silent" });

function ticks(): { ticks: Tick[]; source: string } {
  if (existsSync(TICKS_FILE)) return { ticks: readLeanTicks(TICKS_FILE, RANGE.from, RANGE.to), source: "oanda EURUSD ticks 2014-05-01" };
  return { ticks: syntheticTicks(RANGE.from, 120), source: "synthetic ticks (shared data absent)" };
}

function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return Math.round((sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)) * 100) / 100;
}

const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 600_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A fresh PostgreSQL database for one run, dropped afterwards. */
async function postgresDatabase(): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const name = `bench_copy_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ url, migrate: true, logger });
  return {
    db,
    url,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

interface Figures {
  p50: number;
  p99: number;
  copiesPerS: number;
  stages: Record<string, number>;
  /** Through BullMQ: the share of the orders each worker process sent (the lanes are split between them). */
  workerShares?: number[];
}

/**
 * Runs `rounds` master trades (after one warm-up) and measures each slave's send; `sends` yields the wall time
 * each slave's order was sent in the current round.
 */
async function measure(db: Database, broker: PaperBroker, masterId: string, slaves: number, rounds: number, sends: () => Map<string, number>, eventAt: () => number): Promise<Figures> {
  const master = broker.venues.get(masterId)!;
  const latencies: number[] = [];
  const rates: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const before = await db.prisma.copyEvent.count();
    sends().clear();
    const placed = await master.submitOrder({ clientOrderId: `BENCH-${round}`, symbol: "EURUSD", side: "BUY", type: "MARKET", volume: dec("1.00") });
    if (placed.status !== "filled") throw new Error(`master order ${placed.status}`);
    await until(async () => sends().size >= slaves, "every slave's order");
    await until(async () => (await db.prisma.copyEvent.count()) >= before + slaves, "every copy logged");
    const done = wallNow();
    if (round === 0) continue;
    for (const at of sends().values()) latencies.push(at - eventAt());
    rates.push(slaves / ((done - eventAt()) / 1000));
  }
  const copied = await db.prisma.copyEvent.findMany({ where: { status: { in: ["COPIED", "ADJUSTED"] } }, orderBy: { createdAt: "desc" }, take: slaves * rounds });
  if (copied.length < slaves * rounds) throw new Error(`only ${copied.length} of ${slaves * rounds} copies were made`);
  const stage = (k: "queueMs" | "decisionMs" | "dispatchMs" | "ackMs") => median(copied.map((e) => e[k] ?? 0));
  latencies.sort((a, b) => a - b);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    copiesPerS: Math.round(median(rates)),
    stages: { queue_p50_ms: stage("queueMs"), decision_p50_ms: stage("decisionMs"), dispatch_p50_ms: stage("dispatchMs"), ack_p50_ms: stage("ackMs") },
  };
}

/** The master's venue, with a listener that notes when its positions open; registered before the engine's own. */
async function masterVenue(broker: PaperBroker, masterId: string): Promise<() => number> {
  let at = 0;
  (await broker.venue(masterId, "100000")).events.on("positionOpened", () => (at = wallNow()));
  return () => at;
}

/** Waits until the copy lanes are empty and at least `done` jobs completed (the start-up repairs warm every slave). */
async function drained(w: CopyWorker, done: number): Promise<void> {
  await until(async () => {
    const c = (await w.runtime.status("copy-fanout")).counts;
    return c.waiting + c.active + c.delayed === 0 && c.completed >= done;
  }, "the start-up repairs");
}

async function inProcess(db: Database, slaves: number, rounds: number, data: Tick[]): Promise<Figures> {
  const broker = new PaperBroker({ EURUSD: data }, EURUSD, RANGE);
  const seeded = await seedCopyAccounts(db, broker, { slaves });
  const eventAt = await masterVenue(broker, seeded.masterId);
  const w = await copyWorker(db, broker, { logger });
  const sent = new Map<string, number>();
  w.onSubmit = (id) => {
    if (id !== seeded.masterId && !sent.has(id)) sent.set(id, wallNow());
    return "send";
  };
  try {
    await w.copy.engine.start();
    await drained(w, slaves);
    return await measure(db, broker, seeded.masterId, slaves, rounds, () => sent, eventAt);
  } finally {
    await w.close({ abrupt: true });
  }
}

/**
 * The worker's log, read for its lanes only: it tells the parent once it holds every lane the split of two
 * workers gives it (`lanes: true`), so rounds are measured on settled workers, not during the start-up hand-over.
 */
function laneReporter(): Logger {
  let assigned: number[] | null = null;
  const held = new Set<number>();
  const report = () => {
    if (assigned && assigned.every((lane) => held.has(lane))) process.send!({ lanes: true });
  };
  const destination = {
    write(line: string) {
      const m = JSON.parse(line) as { msg?: string; lanes?: number[]; workers?: number; taken?: number[] };
      if (m.msg === "lanes assigned to this worker" && m.workers === 2) assigned = m.lanes!;
      else if (m.msg === "lanes taken up by this worker") for (const lane of m.taken!) held.add(lane);
      else return;
      report();
    },
  };
  return createLogger({ level: "info", destination });
}

/** A BullMQ copy worker process: consumes copy jobs and reports every slave order it sends to the parent. */
async function workerProcess(): Promise<void> {
  const { url, prefix } = JSON.parse(process.argv[3]!) as { url: string; prefix: string };
  const db = await openDatabase({ url, logger, poolSize: 10 });
  const broker = new PaperBroker({ EURUSD: ticks().ticks }, EURUSD, RANGE);
  const w = await copyWorker(db, broker, { redis: { url: REDIS, prefix }, logger: laneReporter() });
  w.onSubmit = (id) => {
    process.send!({ sent: id, at: wallNow() });
    return "send";
  };
  process.on("message", async (m: { stop?: boolean }) => {
    if (!m.stop) return;
    await w.close();
    await db.close();
    process.exit(0);
  });
  process.send!({ ready: true });
}

async function viaBullmq(slaves: number, rounds: number, data: Tick[]): Promise<Figures> {
  const { db, url, drop } = await postgresDatabase();
  const prefix = `bench-copy-${randomBytes(4).toString("hex")}`;
  const broker = new PaperBroker({ EURUSD: data }, EURUSD, RANGE);
  const seeded = await seedCopyAccounts(db, broker, { slaves });
  const eventAt = await masterVenue(broker, seeded.masterId);
  const sent = new Map<string, number>();
  const sentBy = [0, 0];
  const settled = [false, false];
  const children: ChildProcess[] = [];
  let detector: CopyWorker | undefined;
  try {
    for (let i = 0; i < 2; i++) {
      const child = fork(import.meta.filename, ["copy-worker", JSON.stringify({ url, prefix })], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.on("message", (m: { ready?: boolean; sent?: string; at?: number; lanes?: boolean }) => {
          if (m.ready) resolve();
          if (m.lanes) settled[i] = true;
          if (m.sent && m.sent !== seeded.masterId && !sent.has(m.sent)) {
            sent.set(m.sent, m.at!);
            sentBy[i]!++;
          }
        });
        child.once("exit", (code) => reject(new Error(`copy worker exited with ${code}`)));
      });
    }
    // The detecting process (the API, say) only queues; the two worker processes copy.
    detector = await copyWorker(db, broker, { redis: { url: REDIS, prefix }, consume: false, logger });
    await detector.copy.engine.start();
    await drained(detector, slaves);
    await until(async () => settled.every(Boolean), "both workers holding their lanes");
    sentBy.fill(0);
    const figures = await measure(db, broker, seeded.masterId, slaves, rounds, () => sent, eventAt);
    const total = sentBy[0]! + sentBy[1]!;
    return { ...figures, workerShares: sentBy.map((n) => Math.round((n / total) * 100) / 100) };
  } finally {
    await detector?.close();
    for (const c of children) c.send({ stop: true });
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(undefined)))));
    await new BullmqRuntime(REDIS, { logger, concurrency: 1, prefix, defaultAttempts: 1, closeGraceMs: 0 }).purge();
    await drop();
  }
}

const ROUNDS: Record<number, number> = { 1: 20, 100: 10, 1000: 5 };

export default async function run(): Promise<Record<string, unknown>> {
  const { ticks: data, source } = ticks();
  const out: Record<string, unknown> = { data: source, cpus: os.cpus().length, load_avg_1m_at_start: os.loadavg()[0], targets: "in-process 100 slaves p99 < 5 ms; BullMQ 1,000 slaves p99 < 50 ms" };
  const put = (name: string, f: Figures) => {
    out[`${name}_p50_ms`] = f.p50;
    out[`${name}_p99_ms`] = f.p99;
    out[`${name}_copies_per_s`] = f.copiesPerS;
    for (const [k, v] of Object.entries(f.stages)) out[`${name}_${k}`] = v;
    if (f.workerShares) out[`${name}_order_share_per_worker`] = f.workerShares;
  };
  for (const n of [1, 100, 1000]) {
    const db = await openDatabase({ pgliteDir: "memory://", migrate: true, logger });
    try {
      put(`in_process_pglite_${n}`, await inProcess(db, n, ROUNDS[n]!, data));
    } finally {
      await db.close();
    }
  }
  const services = (await reachable(PG_ADMIN)) && (await reachable(REDIS));
  if (!services) return { ...out, skipped: "PostgreSQL or Redis not reachable: in-process PostgreSQL and BullMQ runs skipped" };
  for (const n of [100, 1000]) {
    const pgdb = await postgresDatabase();
    try {
      put(`in_process_postgres_${n}`, await inProcess(pgdb.db, n, ROUNDS[n]!, data));
    } finally {
      await pgdb.drop();
    }
  }
  for (const n of [1, 100, 1000]) put(`bullmq_2_workers_postgres_${n}`, await viaBullmq(n, ROUNDS[n]!, data));
  out.load_avg_1m_at_end = os.loadavg()[0];
  return out;
}

if (process.argv[2] === "copy-worker") await workerProcess();
