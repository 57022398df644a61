import type { FeatureInput } from "../features/index.ts";
import type { ColumnKind } from "./drift-detector.ts";
import type { ColumnPair } from "./dataset-drift.ts";

interface FeatureColumn {
  name: keyof FeatureInput;
  kind: ColumnKind;
}

/**
 * The columns drift is measured on: the raw `FeatureInput` fields, not the encoded vector. Raw fields keep one
 * column per fact (the encoder turns a session into eight flags and a time into sine/cosine pairs, which would
 * weigh those facts many times over in the drifted share) and do not depend on the champion's symbol
 * vocabulary. `fillKind` is left out: decisions are always market orders, and the reference is limited to them.
 */
export const DRIFT_FEATURE_COLUMNS: readonly FeatureColumn[] = [
  { name: "symbol", kind: "categorical" },
  { name: "side", kind: "categorical" },
  { name: "session", kind: "categorical" },
  { name: "dayOfWeek", kind: "categorical" },
  { name: "minuteOfDay", kind: "numeric" },
  { name: "atrPips", kind: "numeric" },
  { name: "volatilityIndex", kind: "numeric" },
  { name: "spreadPips", kind: "numeric" },
  { name: "slDistancePips", kind: "numeric" },
  { name: "signalAgeMs", kind: "numeric" },
  { name: "volumeLots", kind: "numeric" },
  { name: "providerScore", kind: "numeric" },
  { name: "providerTradeCount", kind: "numeric" },
  { name: "accountDrawdown", kind: "numeric" },
];

function valueOf(x: FeatureInput, c: FeatureColumn): number | string | null {
  const v = x[c.name] as unknown;
  if (v === null || v === undefined) return null;
  if (c.kind === "categorical") return String(v);
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Both samples split into the drift columns. */
export function featureColumnPairs(reference: readonly FeatureInput[], current: readonly FeatureInput[]): ColumnPair[] {
  return DRIFT_FEATURE_COLUMNS.map((c) => ({
    name: c.name,
    kind: c.kind,
    reference: reference.map((x) => valueOf(x, c)),
    current: current.map((x) => valueOf(x, c)),
  }));
}
