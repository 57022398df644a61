import { setMaxListeners } from "node:events";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildContainer, type Container } from "../../app/container.ts";
import { loadAppConfig } from "../../app/config.ts";
import { CoreErrors, RiskloopError, createLogger, Vault, type Logger, type Tick } from "../../core/index.ts";
import { copyFanoutJob } from "../../jobs/copy-fanout.job.ts";
import { createJobRuntime, partitionOf, type JobRuntime } from "../../jobs/index.ts";
import type { Database } from "../../prisma/index.ts";
import type { PaperSubmitOrderRequest } from "../../trading/paper/index.ts";
import { CopyTrading } from "../../trading/copy/copy-trading.ts";
import { COPY_DEFAULTS, type CopyConfig } from "../../trading/copy/copy.config.ts";
import { COPY_FANOUT_JOB } from "../../trading/copy/replication/copy-job.ts";
import { PaperBroker, seedCopyAccounts, type SeededCopyAccounts, type SubmitMode } from "../../trading/copy/testing/paper-broker.ts";
import type { PaperVenue } from "../../trading/paper/index.ts";
import { TEST_INSTRUMENTS } from "../../trading/paper/testing/paper-instruments.ts";
import { freshDatabase } from "./db.ts";

// Test and benchmark kit: one worker process' worth of the copy engine, composed from app/ and jobs/.

export interface WorkerOptions {
  /** Unset: an in-process runtime; set: BullMQ on this Redis with this key prefix. */
  redis?: { url: string; prefix: string };
  /** Whether this worker consumes copy jobs (a detecting API process need not). */
  consume?: boolean;
  closeGraceMs?: number;
  /** Hung submits fail (transient) when the worker is closed abruptly, instead of hanging forever. */
  releaseHungOnClose?: boolean;
  config?: Partial<CopyConfig>;
  logger?: Logger;
}

/** One worker process' worth of Riskloop on a shared database and broker: container, copy engine, job runtime. */
export interface CopyWorker {
  container: Container;
  copy: CopyTrading;
  runtime: JobRuntime;
  /** How this worker's submits behave (default: every one reaches the venue). */
  onSubmit: (accountId: string, request: PaperSubmitOrderRequest) => SubmitMode;
  /** While true, queueing copies fails as if Redis were unreachable. */
  queueDown: boolean;
  /** Detaches this worker from the venues and stops its runtime; with `abrupt`, nothing waits for running copies. */
  close(opts?: { abrupt?: boolean }): Promise<void>;
}

/**
 * Builds a worker: a container on `db` whose PAPER accounts trade on `broker`'s venues, and a copy engine
 * whose fan-out goes to its own job runtime (so a test can kill one worker's runtime and start another).
 */
export async function copyWorker(db: Database, broker: PaperBroker, opts: WorkerOptions = {}): Promise<CopyWorker> {
  const home = mkdtempSync(path.join(os.tmpdir(), "riskloop-copy-"));
  const config = loadAppConfig({ RISKLOOP_HOME: home, RISKLOOP_VAULT_KEYS: Vault.generateKeySpec("t1"), API_JWT_SECRET: "copy-test-secret-copy-test-secret-0123456789", TRD_PAPER_REPLAY_SPEED: "0", TRD_EQUITY_CHECK_MS: "0" });
  const logger = opts.logger ?? createLogger({ level: "silent" });
  const container = await buildContainer({ config, db, logger });
  let worker!: CopyWorker;
  const died = new AbortController();
  // Every submit left hanging by a killed worker waits on this one signal.
  setMaxListeners(0, died.signal);
  container.brokers.register(
    "PAPER",
    async (account) => {
      const balance = await db.prisma.brokerAccount.findUniqueOrThrow({ where: { id: account.accountId }, select: { balance: true } });
      const venue = await broker.venue(account.accountId, balance.balance.toString());
      return broker.view(venue, (id, request) => worker.onSubmit(id, request), opts.releaseHungOnClose ? died.signal : undefined);
    },
    { replace: true },
  );
  const runtime = createJobRuntime({ logger, closeGraceMs: opts.closeGraceMs ?? 10_000, ...(opts.redis ? { redisUrl: opts.redis.url, prefix: opts.redis.prefix } : {}) });
  const copyConfig = { ...COPY_DEFAULTS, ...opts.config };
  const copy = new CopyTrading({
    prisma: db.prisma,
    trading: container.trading,
    srm: container.srm,
    bus: container.bus,
    clock: container.clock,
    audit: container.audit,
    logger,
    config: copyConfig,
    enqueue: async (slave, data, jobId) => {
      if (worker.queueDown) throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "job queue unavailable: simulated Redis outage");
      await runtime.enqueuePartitioned(COPY_FANOUT_JOB, slave, data, { jobId });
    },
    laneOf: (slave) => partitionOf(slave, copyConfig.partitions),
  });
  worker = {
    container,
    copy,
    runtime,
    onSubmit: () => "send",
    queueDown: false,
    async close({ abrupt = false } = {}) {
      copy.engine.stop();
      for (const id of broker.venues.keys()) container.trading.sessions.peek(id)?.stop();
      if (abrupt) died.abort();
      if (abrupt) void runtime.close();
      else await runtime.close();
      await container.policies.flush().catch(() => undefined);
      container.champions.stop();
      container.policies.stop();
      await container.jobs.close();
    },
  };
  // Only now: a BullMQ worker may pick up jobs left by a dead worker the moment it starts.
  await runtime.register([copyFanoutJob({ ...container, copy, copyConfig })]);
  if (opts.consume ?? true) await runtime.startWorkers();
  return worker;
}

/**
 * Waits until every master event the worker saw was fanned out, its copy lanes are empty, and the given
 * accounts' sessions have booked what their venues reported.
 */
export async function copiesSettled(w: CopyWorker, accountIds: readonly string[] = [], timeoutMs = 30_000): Promise<void> {
  await w.copy.engine.idle();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = (await w.runtime.status(COPY_FANOUT_JOB)).counts;
    if (c.waiting + c.active + c.delayed === 0) break;
    if (Date.now() > deadline) throw new Error(`copy lanes still busy after ${timeoutMs} ms: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const id of accountIds) await w.container.trading.sessions.peek(id)?.idle();
}

/** A master and its PAPER slaves on one symbol's quotes, with one started copy worker on a fresh PGlite database. */
export interface CopyScene {
  db: Database;
  broker: PaperBroker;
  w: CopyWorker;
  s: SeededCopyAccounts;
  master: PaperVenue;
  slaves: PaperVenue[];
  /** `copiesSettled` for every slave. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The scene most copy tests start from: EURUSD `ticks` from `from` for two hours, `slaves` followers (those
 * listed in `netting` on netting venues), the engine started and every venue replayed to a minute in.
 */
export async function copyScene(opts: { from: number; ticks: Tick[]; slaves: number; netting?: number[] }): Promise<CopyScene> {
  const db = await freshDatabase("pglite");
  const broker = new PaperBroker({ EURUSD: opts.ticks }, TEST_INSTRUMENTS.filter((x) => x.symbol === "EURUSD"), { from: opts.from, to: opts.from + 120 * 60_000 });
  const s = await seedCopyAccounts(db, broker, { slaves: opts.slaves });
  for (const i of opts.netting ?? []) broker.netting.add(s.slaveIds[i]!);
  const w = await copyWorker(db, broker);
  const settle = () => copiesSettled(w, s.slaveIds);
  await w.copy.engine.start();
  await settle();
  await broker.advanceAll(opts.from + 60_000);
  return {
    db,
    broker,
    w,
    s,
    master: broker.venues.get(s.masterId)!,
    slaves: s.slaveIds.map((id) => broker.venues.get(id)!),
    settle,
    async close() {
      await w.close({ abrupt: true });
      await db.close();
    },
  };
}
