import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CoreErrors, RiskloopError, Vault } from "../core/index.ts";

export interface ServiceSecrets {
  vaultKeys: string;
  jwtSecret: string;
}

/**
 * Secrets for the vault and token signing. Configured values always win. Only the embedded default (no
 * DATABASE_URL) may fall back to a generated file under RISKLOOP_HOME, so a new user needs nothing set up;
 * a PostgreSQL deployment without configured secrets fails closed at start.
 */
export function resolveSecrets(opts: { home: string; embedded: boolean; vaultKeys?: string; jwtSecret?: string }): ServiceSecrets {
  if (opts.jwtSecret !== undefined && opts.jwtSecret.length < 32) {
    throw new RiskloopError(CoreErrors.CORE_ERR_CONFIG, "API_JWT_SECRET must be at least 32 characters", { variables: ["API_JWT_SECRET"] });
  }
  if (opts.vaultKeys && opts.jwtSecret) return { vaultKeys: opts.vaultKeys, jwtSecret: opts.jwtSecret };
  if (!opts.embedded) {
    const missing = [!opts.vaultKeys && "RISKLOOP_VAULT_KEYS", !opts.jwtSecret && "API_JWT_SECRET"].filter(Boolean) as string[];
    throw new RiskloopError(CoreErrors.CORE_ERR_CONFIG, `${missing.join(" and ")} must be set when DATABASE_URL is used`, { variables: missing });
  }
  const file = path.join(opts.home, "secrets.json");
  let stored: ServiceSecrets;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, "utf8")) as ServiceSecrets;
  } else {
    mkdirSync(opts.home, { recursive: true });
    stored = { vaultKeys: Vault.generateKeySpec("local1"), jwtSecret: randomBytes(48).toString("base64url") };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { vaultKeys: opts.vaultKeys ?? stored.vaultKeys, jwtSecret: opts.jwtSecret ?? stored.jwtSecret };
}
