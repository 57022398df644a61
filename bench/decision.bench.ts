import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Fastify from "fastify";
import { buildApi } from "../api/index.ts";
import { loadAppConfig } from "../app/config.ts";
import { buildContainer } from "../app/container.ts";
import { createLogger, Vault } from "../core/index.ts";
import { createDataset, mlpQuantileFamily, seededRandom } from "../models/index.ts";
import { buildFeatureSchema, decide, DEFAULT_SRM_POLICY, featureEncoder, type DecisionInput } from "../srm/index.ts";
import { anAccount, anIntent, EURUSD, T0 } from "../test/kit/builders.ts";

const run = promisify(execFile);
const DURATION = process.env.BENCH_DURATION_S ?? "10";

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** A real MLP champion fitted on seeded synthetic rows, so the decision pays a real forward pass. */
async function trainedModel() {
  const schema = buildFeatureSchema(["EURUSD", "GBPUSD", "XAUUSD"]);
  const d = schema.names.length;
  const n = 5000;
  const rnd = seededRandom(1);
  const X = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = rnd.next();
    y[i] = Math.max(0, X[i * d + 8]! * 2 + rnd.next() - 0.5);
  }
  const fit = await mlpQuantileFamily.fit(createDataset(X, y, schema.names), { seed: 1, epochs: 3 });
  return { version: "bench", schema, encode: featureEncoder(schema), predictor: fit.predictor };
}

async function autocannon(url: string, args: string[]): Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }> {
  const bin = path.join(import.meta.dirname, "../node_modules/.bin/autocannon");
  const { stdout } = await run(bin, ["-j", "-d", DURATION, ...args, url], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

export default async function bench(): Promise<Record<string, unknown>> {
  // 1. The pure decision with a champion loaded.
  const slippage = await trainedModel();
  const input: DecisionInput = {
    intent: anIntent(),
    spec: EURUSD,
    quote: { bid: 1.09998, ask: 1.10001, time: T0 },
    context: { atr: 0.0004, volatilityIndex: 0.5, spread: 0.00008, session: "LONDON" },
    account: anAccount(),
    quoteToAccountRate: 1,
    provider: { score: 55, tradeCount: 120, mature: true },
    now: T0,
  };
  for (let i = 0; i < 20_000; i++) decide(input, { slippage }, DEFAULT_SRM_POLICY);
  const N = 100_000;
  const times = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    decide(input, { slippage }, DEFAULT_SRM_POLICY);
    times[i] = (performance.now() - t) * 1000;
  }
  times.sort();

  // 2. The service (persisted) and 3. the HTTP endpoint against bare Fastify in the same run.
  const home = mkdtempSync(path.join(os.tmpdir(), "riskloop-bench-"));
  const config = loadAppConfig({
    RISKLOOP_HOME: home,
    RISKLOOP_PGLITE_DIR: "memory://",
    RISKLOOP_VAULT_KEYS: Vault.generateKeySpec("bench"),
    API_JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    API_RATE_LIMIT_PER_MINUTE: "100000000",
  });
  const c = await buildContainer({ config, logger: createLogger({ level: "warn" }) });
  await c.db.prisma.instrument.create({
    data: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", quoteCurrency: "USD", baseCurrency: "EUR" },
  });
  await c.db.prisma.tick.create({ data: { symbol: "EURUSD", time: new Date(Date.now() - 1000), seq: 0, bid: "1.10000", ask: "1.10008" } });
  const user = await c.users.register({ email: "bench@example.com", password: "bench-password-123" });
  const account = await c.accounts.create({ id: user.id, role: user.role, plan: user.plan }, { name: "bench", platform: "PAPER", initialBalance: "100000" });
  await c.db.prisma.brokerAccount.update({ where: { id: account.id }, data: { freeMargin: "100000" } });

  const facts = await c.marketFacts(account.id, "EURUSD");
  const svc: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await c.srm.decide(anIntent({ accountId: account.id, signalTime: Date.now(), receivedAt: Date.now() }), { ...facts, at: Date.now() });
    svc.push(performance.now() - t);
  }
  svc.sort((a, b) => a - b);

  const app = await buildApi(c);
  const apiUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  const login = await app.inject({ method: "POST", url: "/auth/login", payload: { email: "bench@example.com", password: "bench-password-123" } });
  const token = (login.json() as { accessToken: string }).accessToken;
  const hello = Fastify();
  hello.get("/", async () => ({ hello: "world" }));
  const helloUrl = await hello.listen({ host: "127.0.0.1", port: 0 });

  const body = JSON.stringify({ accountId: account.id, symbol: "EURUSD", side: "BUY", volume: "0.10", stopLoss: "1.09800" });
  const helloRes = await autocannon(helloUrl, ["-c", "50"]);
  const http = await autocannon(`${apiUrl}/srm/decisions`, ["-c", "50", "-m", "POST", "-H", "content-type=application/json", "-H", `authorization=Bearer ${token}`, "-b", body]);
  await app.close();
  await hello.close();
  await c.close();
  if (http.non2xx > 0) throw new Error(`decision endpoint answered ${http.non2xx} non-2xx`);

  return {
    decide_in_process_p50_us: Number(percentile(times, 0.5).toFixed(2)),
    decide_in_process_p99_us: Number(percentile(times, 0.99).toFixed(2)),
    decide_in_process_p999_us: Number(percentile(times, 0.999).toFixed(2)),
    decide_service_persisted_p50_ms: Number(svc[Math.floor(svc.length * 0.5)]!.toFixed(3)),
    decide_service_persisted_p99_ms: Number(svc[Math.floor(svc.length * 0.99)]!.toFixed(3)),
    http_hello_req_per_s: Math.round(helloRes.requests.average),
    http_decisions_req_per_s: Math.round(http.requests.average),
    http_decisions_p99_ms: http.latency.p99,
    http_decisions_to_hello_ratio: Number((http.requests.average / helloRes.requests.average).toFixed(3)),
    note_http: "every decision request writes its intent and decision to the embedded database (PGlite) in the API process",
  };
}
