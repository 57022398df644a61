import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { columnsFromTicks, storeTicks } from "../analysis/market-data/index.ts";
import { loadAppConfig } from "../app/config.ts";
import { buildContainer } from "../app/container.ts";
import { Vault, createLogger, dec, type Actor } from "../core/index.ts";
import type { PaperVenue } from "../trading/paper/index.ts";
import { readLeanTicks } from "../trading/paper/testing/lean-csv.ts";
import { sharedDataPath } from "../test/kit/shared-data.ts";

const ORDERS = Number(process.env.BENCH_EXECUTION_ORDERS ?? 300);
const WARMUP = 20;
const FROM = Date.UTC(2014, 4, 1, 8);
const TO = Date.UTC(2014, 4, 1, 16);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const us = (ms: number) => Math.round(ms * 1000);

function summary(name: string, samples: number[]): Record<string, number> {
  const s = [...samples].sort((a, b) => a - b);
  return { [`${name}_p50_us`]: us(quantile(s, 0.5)), [`${name}_p99_us`]: us(quantile(s, 0.99)) };
}

/**
 * Internal overhead of the execution path on a paper account over real EURUSD ticks, in process (no HTTP):
 * a manual market order from `TradingService.placeOrder` (intent received) to the venue's `submitOrder` being
 * called (broker call issued), and to the outcome being recorded (fill, execution log, position, paper state).
 * The paper venue runs by hand with zero latency, so no simulated venue time is counted; its own matching
 * (replaying quotes until the fill) is reported separately as `venue_call`.
 */
export default async function run(): Promise<Record<string, unknown>> {
  const config = loadAppConfig({
    RISKLOOP_HOME: mkdtempSync(path.join(os.tmpdir(), "riskloop-bench-")),
    RISKLOOP_PGLITE_DIR: "memory://",
    // An empty PostgreSQL database to measure against instead of PGlite (it is migrated on start).
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    RISKLOOP_VAULT_KEYS: Vault.generateKeySpec("bench"),
    API_JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    TRD_PAPER_REPLAY_SPEED: "0",
    TRD_EQUITY_CHECK_MS: "0",
  });
  const container = await buildContainer({ config, logger: createLogger({ level: "warn" }) });
  const prisma = container.db.prisma;
  await prisma.instrument.create({
    data: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
  });
  const ticks = readLeanTicks(sharedDataPath("prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"), FROM, TO);
  await storeTicks(container.db, { symbol: "EURUSD" }, [columnsFromTicks(ticks)]);
  const user = await container.users.register({ email: "bench@example.com", password: "bench-password-123" });
  const actor: Actor = { id: user.id, role: "USER", plan: "FREE" };
  const account = await container.accounts.create(actor, { name: "Paper", platform: "PAPER", initialBalance: "100000" });
  await prisma.brokerAccount.update({
    where: { id: account.id },
    data: { paperSettings: { symbols: ["EURUSD"], from: FROM, to: TO, latency: { kind: "fixed", ms: 0 }, initialBalance: "100000" } },
  });

  const trading = container.trading;
  const session = await trading.sessions.get(account.id);
  const venue = session.paper as PaperVenue;
  await venue.advanceTo(FROM + 60_000);

  let brokerCalledAt = 0;
  let brokerAnsweredAt = 0;
  let executeAt = 0;
  const submit = venue.submitOrder.bind(venue);
  venue.submitOrder = async (request) => {
    brokerCalledAt = performance.now();
    const answer = await submit(request);
    brokerAnsweredAt = performance.now();
    return answer;
  };
  const execute = trading.execution.execute.bind(trading.execution);
  trading.execution.execute = (approved, options) => {
    executeAt = performance.now();
    return execute(approved, options);
  };

  // The paper snapshot written after every execution grows with the account's history; time it apart.
  const persisting: number[] = [];
  const persist = trading.sessions.persist.bind(trading.sessions);
  trading.sessions.persist = async (s) => {
    const t = performance.now();
    await persist(s);
    persisting.push(performance.now() - t);
  };
  const toBroker: number[] = [];
  const executeToBroker: number[] = [];
  const total: number[] = [];
  const venueCall: number[] = [];
  const overhead: number[] = [];
  const openPersist: number[] = [];
  for (let i = 0; i < WARMUP + ORDERS; i++) {
    await venue.advanceBy(5_000);
    const persisted = persisting.length;
    const t0 = performance.now();
    const result = await trading.placeOrder(actor, account.id, { symbol: "EURUSD", side: i % 2 === 0 ? "BUY" : "SELL", type: "MARKET", volume: dec("0.10") });
    const t2 = performance.now();
    if (result.outcome?.status !== "FILLED") throw new Error(`order ${i} was not filled: ${JSON.stringify(result.decision.decision.reasons)} ${result.outcome?.execution.error ?? ""}`);
    await session.idle();
    if (i >= WARMUP) {
      toBroker.push(brokerCalledAt - t0);
      executeToBroker.push(brokerCalledAt - executeAt);
      total.push(t2 - t0);
      venueCall.push(brokerAnsweredAt - brokerCalledAt);
      overhead.push(t2 - t0 - (brokerAnsweredAt - brokerCalledAt));
      openPersist.push(persisting.slice(persisted).reduce((a, b) => a + b, 0));
    }
    await trading.closePosition(actor, account.id, result.outcome.position!.id);
    await session.idle();
  }
  const figures = {
    database: container.db.kind,
    orders: ORDERS,
    ...summary("intent_to_broker_call", toBroker),
    ...summary("execute_to_broker_call", executeToBroker),
    ...summary("intent_to_recorded", total),
    ...summary("intent_to_recorded_without_venue", overhead),
    ...summary("venue_call", venueCall),
    ...summary("paper_persist", openPersist),
    paper_snapshot_kb_at_end: Math.round(JSON.stringify(venue.toJSON()).length / 1024),
  };
  await container.close();
  return figures;
}
