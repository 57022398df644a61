import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * The process environment, with an optional `.env` file underneath it (real variables win). This is the
 * only place in the service that reads `process.env`.
 */
export function readEnvironment(envFile = ".env"): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  return { ...fromFile, ...process.env };
}
