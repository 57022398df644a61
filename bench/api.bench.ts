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

const run = promisify(execFile);
const DURATION = process.env.BENCH_DURATION_S ?? "10";
const CONNECTIONS = "50";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/** Load comes from a separate autocannon process so the generator does not share the server's event loop. */
async function load(url: string, headers: Record<string, string> = {}): Promise<AutocannonResult> {
  const bin = path.join(import.meta.dirname, "../node_modules/.bin/autocannon");
  const args = ["-j", "-c", CONNECTIONS, "-d", DURATION, ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]), url];
  const { stdout } = await run(bin, args, { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as AutocannonResult;
}

/** Bare Fastify hello-world against the authenticated health route, measured in the same run. */
export default async function bench(): Promise<Record<string, unknown>> {
  const hello = Fastify();
  hello.get("/", async () => ({ hello: "world" }));
  const helloUrl = await hello.listen({ host: "127.0.0.1", port: 0 });

  const home = mkdtempSync(path.join(os.tmpdir(), "riskloop-bench-"));
  const config = loadAppConfig({
    RISKLOOP_HOME: home,
    RISKLOOP_PGLITE_DIR: "memory://",
    RISKLOOP_VAULT_KEYS: Vault.generateKeySpec("bench"),
    API_JWT_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    API_RATE_LIMIT_PER_MINUTE: "100000000",
  });
  const container = await buildContainer({ config, logger: createLogger({ level: "warn" }) });
  const app = await buildApi(container);
  const apiUrl = await app.listen({ host: "127.0.0.1", port: 0 });
  await container.users.register({ email: "bench@example.com", password: "bench-password-123" });
  const login = await app.inject({ method: "POST", url: "/auth/login", payload: { email: "bench@example.com", password: "bench-password-123" } });
  const token = (login.json() as { accessToken: string }).accessToken;

  const helloResult = await load(helloUrl);
  const plainResult = await load(`${apiUrl}/healthz`);
  const authResult = await load(`${apiUrl}/healthz/authenticated`, { authorization: `Bearer ${token}` });
  await app.close();
  await container.close();
  await hello.close();
  if (authResult.non2xx > 0 || authResult.errors > 0) throw new Error(`authenticated route answered ${authResult.non2xx} non-2xx, ${authResult.errors} errors`);

  return {
    duration_s: Number(DURATION),
    connections: Number(CONNECTIONS),
    hello_req_per_s: Math.round(helloResult.requests.average),
    hello_p99_ms: helloResult.latency.p99,
    health_unauthenticated_req_per_s: Math.round(plainResult.requests.average),
    auth_health_req_per_s: Math.round(authResult.requests.average),
    auth_health_p50_ms: authResult.latency.p50,
    auth_health_p99_ms: authResult.latency.p99,
    auth_to_hello_ratio: Number((authResult.requests.average / helloResult.requests.average).toFixed(3)),
  };
}
