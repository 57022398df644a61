import { dec, invalid } from "../../../core/index.ts";
import { DEFAULT_ALERT_AT, type RiskRule } from "../risk-rule.ts";
import { checkAlertAt, gradeFinding } from "../risk-verdict.ts";

export interface StopLossStreakOptions {
  /** Consecutive stop-loss exits that trigger the guard. @defaultValue 3 */
  count?: number;
  /** How long the account stays REDUCING after the streak's latest stop-loss exit. @defaultValue 4 hours */
  cooldownMs?: number;
  /** @defaultValue 0.8 */
  alertAt?: number;
}

/** Where a run of stop-loss exits stands at `now`: the exits counting towards the guard and the cooldown, if any. */
function streakAt(run: readonly number[], now: number, count: number, cooldownMs: number) {
  let streak = 0;
  let first = 0;
  let lockedUntil: number | null = null;
  for (const t of run) {
    if (t > now) break;
    if (lockedUntil !== null && t >= lockedUntil) lockedUntil = null;
    if (lockedUntil === null && streak >= count) streak = 0;
    if (streak === 0) first = t;
    streak++;
    // Exits during a cooldown (positions opened before it) are still losses: each one extends it.
    if (streak >= count) lockedUntil = t + cooldownMs;
  }
  if (lockedUntil !== null && now >= lockedUntil) return { streak: 0, first: lockedUntil, lockedUntil: null };
  return { streak, first, lockedUntil };
}

/**
 * The stop-loss streak guard (after freqtrade's StoplossGuard): `count` stop-loss exits in a row put the
 * account in REDUCING until `cooldownMs` after the latest of them. Once a cooldown is served the count
 * starts again, so the same streak does not lock twice.
 */
export function stopLossStreakRule(opts: StopLossStreakOptions = {}): RiskRule {
  const count = opts.count ?? 3;
  const cooldownMs = opts.cooldownMs ?? 4 * 3_600_000;
  if (!Number.isInteger(count) || count < 1) throw invalid("count", `must be a whole number of at least 1, got ${count}`);
  if (!(cooldownMs > 0) || !Number.isFinite(cooldownMs)) throw invalid("cooldownMinutes", `must be positive, got ${cooldownMs / 60_000}`);
  const alertAt = opts.alertAt ?? DEFAULT_ALERT_AT;
  checkAlertAt(alertAt);
  const rule: RiskRule = {
    id: "stop-loss-streak",
    reason: "stop-loss-streak",
    description: `REDUCING for a cooldown after ${count} stop-loss exits in a row.`,
    alertAt,
    limitAction: "REDUCE",
    evaluate(s) {
      const { streak, first, lockedUntil } = streakAt(s.recentTrades.stopLossRun, s.now, count, cooldownMs);
      return gradeFinding(rule, {
        measure: "consecutive-stop-losses",
        measurements: [{ value: dec(streak), limit: dec(count), unit: "count" }],
        describe: "stop-loss exits in a row",
        since: streak === 0 ? s.trackingStart : first,
        clearsAt: lockedUntil,
      });
    },
  };
  return rule;
}
