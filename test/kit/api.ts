import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApi } from "../../api/index.ts";
import { buildContainer, type Container } from "../../app/container.ts";
import { loadAppConfig } from "../../app/config.ts";
import { createLogger, Vault } from "../../core/index.ts";
import type { Database } from "../../prisma/index.ts";

export interface TestApi {
  app: FastifyInstance;
  container: Container;
  /** Everything the service logged, as text, for secret-leak assertions. */
  logs(): string;
  /** Registers and logs in a user; returns its id and a bearer header. */
  user(email?: string, role?: "USER" | "QUANT" | "ADMIN"): Promise<{ id: string; token: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

let seq = 0;

/** A real API on a real (test) database, with captured logs and configurable environment. */
export async function testApi(db: Database, env: Record<string, string> = {}): Promise<TestApi> {
  let captured = "";
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      captured += chunk.toString();
      cb();
    },
  });
  const home = mkdtempSync(path.join(os.tmpdir(), "riskloop-test-"));
  const config = loadAppConfig({
    RISKLOOP_HOME: home,
    RISKLOOP_LOG_LEVEL: "debug",
    RISKLOOP_VAULT_KEYS: Vault.generateKeySpec("test1"),
    API_JWT_SECRET: "test-secret-test-secret-test-secret-0123456789",
    ...env,
  });
  const container = await buildContainer({ config, db, logger: createLogger({ level: "debug", destination }) });
  const app = await buildApi(container, { logRequests: true });
  return {
    app,
    container,
    logs: () => captured,
    async user(email, role = "USER") {
      const address = email ?? `user${++seq}-${Date.now()}@example.com`;
      const password = "correct-horse-battery-staple";
      const created = await container.users.register({ email: address, password, role });
      const res = await app.inject({ method: "POST", url: "/auth/login", payload: { email: address, password } });
      const token = (res.json() as { accessToken: string }).accessToken;
      return { id: created.id, token, auth: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await app.close();
      await container.close();
    },
  };
}
