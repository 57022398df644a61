import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LocalEventBus, createLogger, newId, type ServiceEvent } from "../../core/index.ts";
import { seededRandom, type QuantilePredictor } from "../../models/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { featureInputs } from "../../test/conformance/drift-detector.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { buildFeatureSchema, featureEncoder, type FeatureInput } from "../features/index.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { AuditLog } from "../../prisma/index.ts";
import { DEFAULT_DRIFT_SETTINGS, type DriftSettings } from "./drift.config.ts";
import { DriftMonitor } from "./drift-monitor.ts";

const DAY = 86_400_000;
const TRAIN_FROM = Date.UTC(2024, 0, 1);
const TRAIN_TO = Date.UTC(2024, 2, 31);
/** "Now" of the quiet check and of the shifted one; each looks at the 7 days before it. */
const QUIET_NOW = Date.UTC(2024, 4, 1);
const SHIFTED_NOW = Date.UTC(2024, 5, 1);
const VERSION = "20240401000000-test";
const P50 = 0.4;

/** The champion's stand-in: always p50 = 0.4 pip, p90 = 1.2 pip, whatever the features. */
const constantPredictor = (d: number): QuantilePredictor => ({
  quantiles: [0.5, 0.9],
  d,
  predictInto: (_row, out) => {
    out[0] = P50;
    out[1] = 1.2;
  },
  predictBatch: (_x, n) => new Float64Array(n * 2).map((_, i) => (i % 2 === 0 ? P50 : 1.2)),
});

/** Decisions with the given features at evenly spaced times, each with a filled execution. */
async function decisionsWithFills(prisma: PrismaClient, accountId: string, features: FeatureInput[], from: number, to: number, slippage: () => number): Promise<void> {
  const step = (to - from) / features.length;
  const intents = features.map((f, i) => ({ id: newId(), at: new Date(Math.round(from + i * step)), f }));
  await prisma.tradeIntent.createMany({
    data: intents.map((x) => ({ id: x.id, source: "COPY" as const, dedupKey: `drift-test:${x.id}`, accountId, symbol: x.f.symbol, side: x.f.side, kind: "OPEN" as const, volume: "0.1", signalTime: x.at, receivedAt: x.at, status: "DECIDED" as const })),
  });
  const decisions = intents.map((x) => ({ id: newId(), intentId: x.id, at: x.at, f: x.f }));
  await prisma.srmDecision.createMany({
    data: decisions.map((d) => ({
      id: d.id,
      intentId: d.intentId,
      accountId,
      action: "EXECUTE" as const,
      features: d.f as object,
      predictions: { p50: P50, p90: 1.2, source: "model" },
      baseLot: "0.1",
      adjustedLot: "0.1",
      modelVersions: { slippage: VERSION },
      latencyUs: 50,
      createdAt: d.at,
    })),
  });
  await prisma.executionLog.createMany({
    data: decisions.map((d) => ({
      decisionId: d.id,
      intentId: d.intentId,
      accountId,
      clientOrderId: `drift-${d.id}`,
      symbol: d.f.symbol,
      side: d.f.side,
      kind: "OPEN" as const,
      volume: "0.1",
      slippagePips: slippage(),
      status: "FILLED" as const,
      origin: "PAPER" as const,
      requestedAt: d.at,
      filledAt: d.at,
    })),
  });
}

describeEachDatabase("DriftMonitor", (getDb) => {
  let logs = "";
  const events: ServiceEvent[] = [];
  const webhookBodies: unknown[] = [];
  const retrains: string[] = [];
  let server: Server;
  let webhookUrl: string;
  let registry: ModelRegistry;
  let schema: ReturnType<typeof buildFeatureSchema>;

  const monitor = (now: number, overrides: Partial<DriftSettings> = {}) => {
    const prisma = getDb().prisma;
    const bus = new LocalEventBus();
    bus.subscribe((e) => events.push(e));
    const logger = createLogger({ level: "info", destination: new Writable({ write: (c: Buffer, _e, cb) => ((logs += c.toString()), cb()) }) });
    return new DriftMonitor({
      prisma,
      registry,
      bus,
      clock: new FakeClock(now),
      logger,
      settings: { ...DEFAULT_DRIFT_SETTINGS, webhookUrl, retrain: true, ...overrides },
      pipSizeOf: () => 0.0001,
      loadModel: async (row) => ({ version: row.version, schema, encode: featureEncoder(schema), predictor: constantPredictor(schema.names.length) }),
      requestRetrain: async ({ reportId }) => void retrains.push(reportId),
    });
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        webhookBodies.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/drift`;

    const prisma = getDb().prisma;
    const bus = new LocalEventBus();
    registry = new ModelRegistry(prisma, new AuditLog(prisma), bus, new FakeClock(TRAIN_TO), createLogger({ level: "silent" }), "/nonexistent", 5);
    const user = await prisma.user.create({ data: { email: `drift-${newId()}@example.com`, passwordHash: "x" } });
    const accounts = await Promise.all([0, 1, 2].map(() => prisma.brokerAccount.create({ data: { userId: user.id, name: "drift", platform: "PAPER" } })));
    const rng = seededRandom(31);
    // Training data: 600 market fills over three months on three accounts (a 120-row hold-out: 6 chunks of 20), p50 0.4 within half a pip 80% of the time.
    const accurate = () => P50 + 0.39 * rng.normal();
    for (const [i, a] of accounts.entries()) await decisionsWithFills(prisma, a.id, featureInputs(rng, 200), TRAIN_FROM + i * 1000, TRAIN_TO, accurate);
    schema = buildFeatureSchema(["EURUSD", "XAUUSD", "GBPUSD", "USDJPY"]);
    await prisma.srmModelVersion.create({
      data: { kind: "slippage", version: VERSION, artifactPath: "/nonexistent", status: "CHAMPION", featureSchema: schema as object, trainedFrom: new Date(TRAIN_FROM), trainedTo: new Date(TRAIN_TO - 1), rowCount: 600, dataHash: "test", configHash: "test" },
    });
    await prisma.srmModelAlias.create({ data: { kind: "slippage", alias: "champion", version: VERSION } });
    // The quiet week: same features, same accuracy. The shifted week: moved features, fills far from p50.
    await decisionsWithFills(prisma, accounts[0]!.id, featureInputs(rng, 200), QUIET_NOW - 7 * DAY, QUIET_NOW, accurate);
    await decisionsWithFills(prisma, accounts[1]!.id, featureInputs(rng, 200, true), SHIFTED_NOW - 7 * DAY, SHIFTED_NOW, () => P50 + 1.5 * rng.normal());
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("writes a quiet report for an unshifted week and raises nothing", async () => {
    const r = await monitor(QUIET_NOW).run();
    expect(r).toMatchObject({ status: "reported", drifted: false, alerts: [], retrainRequested: false });
    if (r.status !== "reported") throw new Error("no report");
    const row = await getDb().prisma.driftReport.findUniqueOrThrow({ where: { id: r.reportId } });
    expect(row).toMatchObject({ modelKind: "slippage", referenceRows: 600, currentRows: 200, drifted: false });
    expect(row.driftedShare).toBeLessThan(0.3);
    expect((row.features as unknown[]).length).toBe(14);
    const perf = row.performance as { current: { accuracy: number; rows: number }; reference: { band: { chunks: number[]; lower: number } } };
    expect(perf.current.rows).toBe(200);
    expect(perf.current.accuracy).toBeGreaterThan(0.7);
    expect(perf.reference.band.chunks.length).toBeGreaterThanOrEqual(6);
    expect(perf.current.accuracy).toBeGreaterThan(perf.reference.band.lower);
    expect(webhookBodies).toEqual([]);
    expect(await getDb().prisma.alert.count({ where: { code: { startsWith: "SRM_DRIFT_" } } })).toBe(0);
  });

  it("alerts on a shifted week: report, alert rows, bus events, log lines, webhook and retrain", async () => {
    const r = await monitor(SHIFTED_NOW).run();
    if (r.status !== "reported") throw new Error("no report");
    expect(r.drifted).toBe(true);
    expect(r.alerts.map((a) => a.code)).toEqual(["SRM_DRIFT_DATASET", "SRM_DRIFT_ACCURACY_LOW", "SRM_DRIFT_ACCURACY_OUT_OF_BAND"]);
    expect(r.retrainRequested).toBe(true);
    expect(retrains).toEqual([r.reportId]);

    const prisma = getDb().prisma;
    const row = await prisma.driftReport.findUniqueOrThrow({ where: { id: r.reportId } });
    expect(row.drifted).toBe(true);
    expect(row.driftedShare).toBeGreaterThanOrEqual(0.5);
    const perf = row.performance as { current: { accuracy: number } };
    expect(perf.current.accuracy).toBeLessThan(0.5);

    const alerts = await prisma.alert.findMany({ where: { code: { startsWith: "SRM_DRIFT_" } }, orderBy: { code: "asc" } });
    expect(alerts.map((a) => [a.code, a.severity, a.userId])).toEqual([
      ["SRM_DRIFT_ACCURACY_LOW", "CRITICAL", null],
      ["SRM_DRIFT_ACCURACY_OUT_OF_BAND", "WARNING", null],
      ["SRM_DRIFT_DATASET", "WARNING", null],
    ]);
    expect(events.filter((e) => e.type === "drift.alert").map((e) => [e.userId, (e.data as { code: string }).code])).toHaveLength(3);
    expect(events.every((e) => e.userId === null)).toBe(true);
    expect(logs).toContain("SRM_DRIFT_ACCURACY_LOW");
    expect(webhookBodies).toHaveLength(1);
    expect(webhookBodies[0]).toMatchObject({ type: "drift.alert", reportId: r.reportId, modelVersion: VERSION, alerts: [{ code: "SRM_DRIFT_DATASET" }, { code: "SRM_DRIFT_ACCURACY_LOW" }, { code: "SRM_DRIFT_ACCURACY_OUT_OF_BAND" }] });
  });

  it("keeps the alert when the webhook is down, and skips without a champion", async () => {
    const r = await monitor(SHIFTED_NOW, { webhookUrl: "http://127.0.0.1:9/unreachable", webhookTimeoutMs: 500, retrain: false }).run();
    expect(r).toMatchObject({ status: "reported", retrainRequested: false });
    expect(logs).toContain("drift webhook could not be delivered");
    expect(logs).not.toContain("127.0.0.1:9");
    await getDb().prisma.srmModelAlias.delete({ where: { kind_alias: { kind: "slippage", alias: "champion" } } });
    expect(await monitor(SHIFTED_NOW).run()).toEqual({ status: "skipped", reason: "no slippage champion to monitor" });
  });
});
