import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { seedMarketData } from "../analysis/demo-data/index.ts";
import type { Container } from "./container.ts";

export interface DemoCredentials {
  email: string;
  password: string;
}

export const DEMO_EMAIL = "demo@riskloop.local";

/**
 * Seeds the demo data a new user sees after the first command: a demo user (password generated once and
 * kept under RISKLOOP_HOME so it can be printed again) and a paper account.
 */
export async function seedDemo(container: Container): Promise<DemoCredentials> {
  const file = path.join(container.config.value.core.home, "demo-credentials.json");
  let creds: DemoCredentials;
  if (existsSync(file)) {
    creds = JSON.parse(readFileSync(file, "utf8")) as DemoCredentials;
  } else {
    creds = { email: DEMO_EMAIL, password: `demo-${randomBytes(9).toString("base64url")}` };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  }
  await seedMarketData(container.db, { dataDir: container.config.value.core.dataDir, logger: container.logger });
  // Warm the live market context so the first demo decisions already see ATR, volatility and spread.
  for (const symbol of await container.marketData.symbols()) {
    await container.context.warm(symbol).catch((err: unknown) => container.logger.warn({ err, symbol }, "market context could not be warmed"));
  }
  const { user, created } = await container.users.ensure({ ...creds, role: "ADMIN", plan: "PRO" });
  if (created) {
    const actor = { id: user.id, role: user.role, plan: user.plan };
    await container.accounts.create(actor, { name: "Demo paper account", platform: "PAPER", role: "STANDALONE", initialBalance: "10000", currency: "USD" });
  }
  return creds;
}
