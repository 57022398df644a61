import { CoreErrors, RiskloopError, invalid } from "../../core/index.ts";
import { DEFAULT_RISK_SETTINGS, type RiskSettings } from "./risk.config.ts";
import type { RiskMeasure, RiskRule } from "./risk-rule.ts";
import type { RiskWindow } from "./risk-windows.ts";
import { dailyLossRule } from "./rules/daily-loss.rule.ts";
import { emergencyStopRule } from "./rules/emergency-stop.rule.ts";
import { periodLimitRule } from "./rules/period-limit.rule.ts";
import { stopLossStreakRule } from "./rules/stop-loss-streak.rule.ts";

/**
 * One entry of `BrokerAccount.riskLimits` (a JSON list). Fractions are fractions of 1 (0.05 = 5%), as in
 * CopyFactory; money is in the account currency. Built-in rules not listed keep the service defaults; the
 * emergency stop can be tightened or loosened per account but not switched off.
 */
export type RiskLimitEntry =
  | {
      kind: "period";
      id?: string;
      window: RiskWindow;
      measure: RiskMeasure;
      limit: { absolute?: number | string; relative?: number | string };
      action?: "REDUCE" | "HALT";
      closePositions?: boolean;
    }
  | { kind: "daily-loss"; relative?: number; enabled?: boolean }
  | { kind: "emergency-stop"; relative: number }
  | { kind: "stop-loss-streak"; count?: number; cooldownMinutes?: number; enabled?: boolean };

const KEYS: Record<RiskLimitEntry["kind"], readonly string[]> = {
  period: ["kind", "id", "window", "measure", "limit", "action", "closePositions"],
  "daily-loss": ["kind", "relative", "enabled"],
  "emergency-stop": ["kind", "relative"],
  "stop-loss-streak": ["kind", "count", "cooldownMinutes", "enabled"],
};

/** Validates an account's `riskLimits`; throws CORE_ERR_INVALID naming the field, e.g. `riskLimits[1].limit.relative`. */
export function parseRiskLimits(raw: unknown): RiskLimitEntry[] {
  if (!Array.isArray(raw)) throw invalid("riskLimits", "must be a list of limits");
  const entries = raw.map((item, i) => parseEntry(item, `riskLimits[${i}]`));
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const key = e.kind === "period" ? (e.id ?? `${e.window}-${e.measure}`) : e.kind;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw invalid(`riskLimits[${i}]`, `duplicates riskLimits[${earlier}] (${key}); put absolute and relative limits in one entry or give each an id`);
    }
    seen.set(key, i);
  });
  // Building the rules checks every number once, with the field named.
  entries.forEach((e, i) => within(`riskLimits[${i}]`, () => riskRulesFor([e], DEFAULT_RISK_SETTINGS)));
  return entries;
}

function parseEntry(item: unknown, path: string): RiskLimitEntry {
  if (typeof item !== "object" || item === null || Array.isArray(item)) throw invalid(path, "must be an object");
  const o = item as Record<string, unknown>;
  const keys = KEYS[o.kind as RiskLimitEntry["kind"]];
  if (!keys) throw invalid(`${path}.kind`, `must be one of ${Object.keys(KEYS).join(", ")}, got ${JSON.stringify(o.kind)}`);
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw invalid(`${path}.${k}`, `is not a setting of a ${String(o.kind)} limit`);
  for (const k of ["enabled", "closePositions"]) {
    if (k in o && typeof o[k] !== "boolean") throw invalid(`${path}.${k}`, "must be true or false");
  }
  if ("id" in o && (typeof o.id !== "string" || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(o.id))) {
    throw invalid(`${path}.id`, "must be lower-case letters, digits and dashes");
  }
  if ("action" in o && o.action !== "REDUCE" && o.action !== "HALT") throw invalid(`${path}.action`, "must be REDUCE or HALT");
  if (o.kind === "period" && (typeof o.limit !== "object" || o.limit === null || Array.isArray(o.limit))) {
    throw invalid(`${path}.limit`, "must be an object with absolute and/or relative");
  }
  if (o.kind === "period") {
    for (const k of Object.keys(o.limit as object)) if (k !== "absolute" && k !== "relative") throw invalid(`${path}.limit.${k}`, "must be absolute or relative");
  }
  if (o.kind === "emergency-stop" && o.relative === undefined) throw invalid(`${path}.relative`, "is required");
  for (const k of ["relative", "count", "cooldownMinutes"]) {
    if (k in o && typeof o[k] !== "number") throw invalid(`${path}.${k}`, "must be a number");
  }
  return o as unknown as RiskLimitEntry;
}

/** The rules an account runs: the built-ins (service defaults, overridden by its entries) and its period limits. */
export function riskRulesFor(entries: readonly RiskLimitEntry[], settings: RiskSettings): RiskRule[] {
  const alertAt = settings.alertAt;
  const find = <K extends RiskLimitEntry["kind"]>(kind: K) => entries.find((e): e is Extract<RiskLimitEntry, { kind: K }> => e.kind === kind);
  const rules: RiskRule[] = [];
  const daily = find("daily-loss");
  const dailyRelative = daily?.relative ?? settings.dailyLossPercent / 100;
  if (daily?.enabled !== false && (dailyRelative > 0 || daily?.relative !== undefined)) rules.push(dailyLossRule({ relative: dailyRelative, alertAt }));
  const emergencyRelative = find("emergency-stop")?.relative ?? settings.emergencyDrawdownPercent / 100;
  if (emergencyRelative > 0 || find("emergency-stop")) rules.push(emergencyStopRule({ relative: emergencyRelative, alertAt }));
  const streak = find("stop-loss-streak");
  const count = streak?.count ?? settings.stopLossStreak;
  if (streak?.enabled !== false && (count > 0 || streak?.count !== undefined)) {
    rules.push(stopLossStreakRule({ count, cooldownMs: (streak?.cooldownMinutes ?? settings.stopLossCooldownMinutes) * 60_000, alertAt }));
  }
  for (const e of entries) {
    if (e.kind !== "period") continue;
    rules.push(
      periodLimitRule({ window: e.window, measure: e.measure, limit: e.limit, action: e.action, closePositions: e.closePositions, id: e.id, alertAt }),
    );
  }
  return rules;
}

/** Runs `fn`, prefixing the field of any invalid-input error with `path`. */
function within<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RiskloopError && err.code === CoreErrors.CORE_ERR_INVALID) {
      const field = String(err.details?.field ?? "");
      throw invalid(`${path}.${field}`, err.message.slice(field.length + 2));
    }
    throw err;
  }
}
