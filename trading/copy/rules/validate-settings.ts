import { invalid } from "../../../core/index.ts";
import { combineSettings } from "./combine-settings.ts";
import type { CopySettings, EffectiveSettings } from "./copy-settings.ts";
import { mapSymbol, mappingCycles } from "./symbol-mapping.ts";

/** A contradiction in combined settings: the field to fix, a stable reason code and the sentence to show. */
export interface SettingsProblem {
  field: string;
  reason: string;
  message: string;
}

/** Answers whether the slave's broker offers a symbol (its session's specifications, else the Instrument table). */
export type SymbolLookup = (symbol: string) => Promise<boolean>;

/**
 * Contradictions that would make the combined settings copy nothing or something other than asked: fixed risk
 * with stop losses off, a minimum lot above the maximum, no side left, a symbol both included and excluded,
 * includes that cancel out, and loops in the symbol mapping. `at` prefixes the field names.
 */
export function settingsContradictions(s: EffectiveSettings, at = "rules"): SettingsProblem[] {
  const out: SettingsProblem[] = [];
  if (s.lotScaling.mode === "fixedRisk" && !s.copyStopLoss) {
    out.push({ field: `${at}.copyStopLoss`, reason: "COPY_FIXED_RISK_WITHOUT_SL", message: "fixed-risk lot scaling sizes every copy to its stop loss, so copying stop losses cannot be off" });
  }
  if (s.minLot && s.maxLot && s.minLot.gt(s.maxLot)) {
    out.push({ field: `${at}.minLot`, reason: "COPY_MIN_LOT_ABOVE_MAX", message: `the minimum lot ${s.minLot.toString()} is above the maximum lot ${s.maxLot.toString()}` });
  }
  if (s.allowedSides.length === 0) {
    out.push({ field: `${at}.allowedSides`, reason: "COPY_NO_SIDE_ALLOWED", message: "the allowed sides of the provider and the subscription have nothing in common: nothing would be copied" });
  }
  if (s.includeSymbols?.length === 0) {
    out.push({ field: `${at}.includeSymbols`, reason: "COPY_NO_SYMBOL_INCLUDED", message: "the included symbols of the provider and the subscription have nothing in common: nothing would be copied" });
  }
  const both = (s.includeSymbols ?? []).filter((x) => s.excludeSymbols.includes(x));
  if (both.length > 0) {
    out.push({ field: `${at}.excludeSymbols`, reason: "COPY_SYMBOL_INCLUDED_AND_EXCLUDED", message: `${both.join(", ")} ${both.length === 1 ? "is" : "are"} both included and excluded` });
  }
  for (const cycle of mappingCycles(s.symbolMapping)) {
    out.push({ field: `${at}.symbolMapping`, reason: "COPY_MAPPING_CYCLE", message: `the symbol mapping loops: ${cycle.join(" → ")}` });
  }
  return out;
}

/** The slave symbols the settings can produce that are worth checking: mapping targets and mapped includes. */
export function mappedTargets(s: EffectiveSettings): string[] {
  const sources = [...Object.keys(s.symbolMapping), ...(s.includeSymbols ?? [])];
  const out = new Set<string>();
  for (const source of sources) {
    const m = mapSymbol(source, s.symbolMapping, s.symbolNaming);
    if (m.symbol) out.add(m.symbol);
  }
  return [...out];
}

/**
 * Combines and validates a link's settings: throws CORE_ERR_INVALID naming the field and giving the reason
 * (`details.reason`) for the first contradiction, or for a mapping to a symbol the slave's broker does not offer.
 */
export async function validateSettings(provider: CopySettings, subscriber: CopySettings, hasSymbol: SymbolLookup, defaultDelaySeconds: number, at = "rules"): Promise<EffectiveSettings> {
  const effective = combineSettings(provider, subscriber, defaultDelaySeconds);
  const problem = settingsContradictions(effective, at)[0];
  if (problem) throw invalid(problem.field, problem.message, { reason: problem.reason });
  for (const symbol of mappedTargets(effective)) {
    if (!(await hasSymbol(symbol))) {
      throw invalid(`${at}.symbolMapping`, `the slave's broker does not offer ${symbol}`, { reason: "COPY_SYMBOL_UNKNOWN_AT_SLAVE", symbol });
    }
  }
  return effective;
}
