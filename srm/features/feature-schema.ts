import { invalid } from "../../core/index.ts";
import type { FeatureInput } from "./feature-input.ts";

/** Sessions in a fixed order (analysis/session's primary labels); unknown labels fall into "OTHER". */
export const SESSIONS = ["SYDNEY", "TOKYO", "LONDON", "OVERLAP_LONDON_NY", "NEW_YORK", "OFF_HOURS", "CLOSED"] as const;

/**
 * The encoding a model was trained with: the symbol vocabulary is learned from the training data and saved
 * with the model, so a served model encodes symbols exactly as it saw them (unseen symbols → "other").
 */
export interface FeatureSchema {
  version: 1;
  symbols: string[];
  names: string[];
}

const NUMERIC = [
  "is_sell",
  "fill_market",
  "fill_stop",
  "fill_limit",
  "dow_sin",
  "dow_cos",
  "tod_sin",
  "tod_cos",
  "log_atr_pips",
  "atr_missing",
  "volatility_index",
  "volatility_missing",
  "log_spread_pips",
  "spread_missing",
  "log_sl_distance_pips",
  "sl_missing",
  "log_signal_age_s",
  "log_volume_lots",
  "provider_score",
  "provider_missing",
  "log_provider_trades",
  "account_drawdown",
] as const;

export function buildFeatureSchema(symbols: Iterable<string>): FeatureSchema {
  const vocab = [...new Set([...symbols].map((s) => s.toUpperCase()))].sort();
  return {
    version: 1,
    symbols: vocab,
    names: [...NUMERIC, ...SESSIONS.map((s) => `session_${s.toLowerCase()}`), "session_other", ...vocab.map((s) => `symbol_${s}`), "symbol_other"],
  };
}

const TAU = 2 * Math.PI;
const log1p = (v: number | null) => (v === null || !Number.isFinite(v) ? 0 : Math.log1p(Math.max(0, v)));
const missing = (v: number | null) => (v === null || !Number.isFinite(v) ? 1 : 0);

/**
 * Encodes one input into `out` (length `schema.names.length`) without allocating. Used by both the
 * training pipeline and the live decision.
 */
export function encodeFeatures(schema: FeatureSchema, x: FeatureInput, out: Float32Array, symbolIndex?: ReadonlyMap<string, number>): Float32Array {
  if (out.length !== schema.names.length) throw invalid("features", `expected ${schema.names.length} columns, got ${out.length}`);
  out.fill(0);
  let i = 0;
  out[i++] = x.side === "SELL" ? 1 : 0;
  out[i++] = x.fillKind === "MARKET" ? 1 : 0;
  out[i++] = x.fillKind === "STOP" ? 1 : 0;
  out[i++] = x.fillKind === "LIMIT" ? 1 : 0;
  out[i++] = Math.sin((TAU * x.dayOfWeek) / 7);
  out[i++] = Math.cos((TAU * x.dayOfWeek) / 7);
  out[i++] = Math.sin((TAU * x.minuteOfDay) / 1440);
  out[i++] = Math.cos((TAU * x.minuteOfDay) / 1440);
  out[i++] = log1p(x.atrPips);
  out[i++] = missing(x.atrPips);
  out[i++] = x.volatilityIndex ?? 0;
  out[i++] = missing(x.volatilityIndex);
  out[i++] = log1p(x.spreadPips);
  out[i++] = missing(x.spreadPips);
  out[i++] = log1p(x.slDistancePips);
  out[i++] = missing(x.slDistancePips);
  out[i++] = log1p(x.signalAgeMs === null ? null : x.signalAgeMs / 1000);
  out[i++] = log1p(x.volumeLots);
  out[i++] = x.providerScore === null ? 0 : x.providerScore / 100;
  out[i++] = missing(x.providerScore);
  out[i++] = log1p(x.providerTradeCount);
  out[i++] = x.accountDrawdown ?? 0;
  const s = SESSIONS.indexOf(x.session as (typeof SESSIONS)[number]);
  out[i + (s < 0 ? SESSIONS.length : s)] = 1;
  i += SESSIONS.length + 1;
  const sym = x.symbol.toUpperCase();
  const k = symbolIndex ? symbolIndex.get(sym) : schema.symbols.indexOf(sym);
  out[i + (k === undefined || k < 0 ? schema.symbols.length : k)] = 1;
  return out;
}

/** A reusable encoder for one schema: precomputed symbol index and output buffer, for the hot path. */
export function featureEncoder(schema: FeatureSchema): (x: FeatureInput, out?: Float32Array) => Float32Array {
  const index = new Map(schema.symbols.map((s, i) => [s, i]));
  const buffer = new Float32Array(schema.names.length);
  return (x, out = buffer) => encodeFeatures(schema, x, out, index);
}
