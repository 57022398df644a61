import { dec, type Decimal, type Side } from "../../../core/index.ts";
import type { CopySettings, EffectiveSettings } from "./copy-settings.ts";

const BOTH_SIDES: readonly Side[] = ["BUY", "SELL"];

function lastOf<T>(provider: T | undefined, subscriber: T | undefined): T | undefined {
  return subscriber !== undefined ? subscriber : provider;
}

function bound(a: string | undefined, b: string | undefined, pick: (x: Decimal, y: Decimal) => Decimal): Decimal | undefined {
  if (a === undefined) return b === undefined ? undefined : dec(b);
  if (b === undefined) return dec(a);
  return pick(dec(a), dec(b));
}

/**
 * Combines the provider's (master/strategy) settings with the subscriber's (the copy link's) into the settings
 * a copy is planned with, by these rules (MetaApi CopyFactory's, extended to the settings it lacks):
 *
 * | setting | rule | default when no level sets it |
 * |---|---|---|
 * | `lotScaling` (mode and its parameters) | last value wins (subscriber over provider) | balance ratio × 1 |
 * | `maxRiskPerTradePercent`, `maxLeverage` | last value wins | none |
 * | `maxSignalDelaySeconds` | last value wins | `defaultDelaySeconds` (TRD_COPY_SIGNAL_TTL_SECONDS) |
 * | `maxPriceDeviationPips` | last value wins (like the signal delay) | none (SRM's own limit still applies) |
 * | `symbolNaming` (prefix/suffix rules) | last value wins | none |
 * | `maxLot` | the smaller wins | none |
 * | `minLot` | the larger wins | none |
 * | `copyStopLoss`, `copyTakeProfit`, `copyPendingOrders` | off if any level turns it off | on |
 * | `closeOnly` | on if any level turns it on | off |
 * | `allowedSides` | intersection | both sides |
 * | `includeSymbols` | intersection of the levels that list any | every symbol |
 * | `excludeSymbols` | union | none |
 * | `reverse` | XOR along the chain | off |
 * | `symbolMapping` | pairs merged (the subscriber's pair wins for the same master symbol), then applied recursively | none |
 *
 * Pure: no defaults are read from anywhere but the arguments.
 */
export function combineSettings(provider: CopySettings, subscriber: CopySettings, defaultDelaySeconds = 60): EffectiveSettings {
  const scaling = lastOf(provider.lotScaling, subscriber.lotScaling) ?? { mode: "balanceRatio" as const };
  const sides = [provider.allowedSides, subscriber.allowedSides].reduce<readonly Side[]>((acc, level) => (level ? acc.filter((s) => level.includes(s)) : acc), BOTH_SIDES);
  const includeLevels = [provider.includeSymbols, subscriber.includeSymbols].filter((l): l is string[] => l !== undefined);
  const include = includeLevels.length === 0 ? undefined : includeLevels.reduce((acc, level) => acc.filter((s) => level.includes(s)));
  return {
    lotScaling: {
      mode: scaling.mode,
      multiplier: scaling.multiplier ?? 1,
      lot: scaling.lot === undefined ? undefined : dec(scaling.lot),
      riskPercent: scaling.riskPercent,
    },
    minLot: bound(provider.minLot, subscriber.minLot, (x, y) => (x.gt(y) ? x : y)),
    maxLot: bound(provider.maxLot, subscriber.maxLot, (x, y) => (x.lt(y) ? x : y)),
    maxRiskPerTradePercent: lastOf(provider.maxRiskPerTradePercent, subscriber.maxRiskPerTradePercent),
    maxLeverage: lastOf(provider.maxLeverage, subscriber.maxLeverage),
    maxSignalDelaySeconds: lastOf(provider.maxSignalDelaySeconds, subscriber.maxSignalDelaySeconds) ?? defaultDelaySeconds,
    maxPriceDeviationPips: lastOf(provider.maxPriceDeviationPips, subscriber.maxPriceDeviationPips),
    symbolMapping: { ...provider.symbolMapping, ...subscriber.symbolMapping },
    symbolNaming: { ...(lastOf(provider.symbolNaming, subscriber.symbolNaming) ?? {}) },
    includeSymbols: include,
    excludeSymbols: [...new Set([...(provider.excludeSymbols ?? []), ...(subscriber.excludeSymbols ?? [])])],
    allowedSides: [...sides],
    reverse: (provider.reverse ?? false) !== (subscriber.reverse ?? false),
    copyStopLoss: provider.copyStopLoss !== false && subscriber.copyStopLoss !== false,
    copyTakeProfit: provider.copyTakeProfit !== false && subscriber.copyTakeProfit !== false,
    copyPendingOrders: provider.copyPendingOrders !== false && subscriber.copyPendingOrders !== false,
    closeOnly: provider.closeOnly === true || subscriber.closeOnly === true,
  };
}
