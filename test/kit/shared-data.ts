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
