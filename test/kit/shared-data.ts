import { describe, it } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { requireServices } from "./services.ts";

/**
 * The real market data and reference vectors live beside the checkout in ../shared/data and are read at run
 * time, never copied in. Tests that need them skip with a printed reason when the folder is absent (CI has it).
 */
export const SHARED_DATA = path.resolve(process.env.RISKLOOP_SHARED_DATA ?? path.join(import.meta.dirname, "../../../shared/data"));

export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** True when the file exists; otherwise prints why the caller's tests are skipped (fails under CI). */
export function hasSharedData(...parts: string[]): boolean {
  const p = sharedDataPath(...parts);
  if (existsSync(p)) return true;
  const reason = `real data ${p} is absent`;
  if (requireServices) throw new Error(`${reason}, and RISKLOOP_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(`[skipped] ${reason}`);
  return false;
}

/**
 * `describe` for suites that read ../shared/data while they are being declared: when the data is absent the
 * suite body never runs (vitest would still run a skipped suite's body to collect its tests), and a skipped
 * placeholder says why.
 */
export function describeIfData(available: boolean, name: string, fn: () => void): void {
  if (available) describe(name, fn);
  else describe.skip(name, () => it("needs the real data in ../shared/data", () => {}));
}
