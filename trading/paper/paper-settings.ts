import { dec, invalid, type Decimal, type DecimalInput, type SymbolSpec } from "../../core/index.ts";
import { validateLatencySpec, type LatencySpec } from "./latency-model.ts";
import { PAPER_DEFAULTS, type PaperConfig } from "./paper.config.ts";
import type { FeedSource } from "./quote-feed.ts";

/** A paper account as plain JSON: what `BrokerAccount.paperSettings` holds and every snapshot repeats. */
export interface PaperSettings {
  accountId: string;
  /** Replayed symbols, in the order that breaks ties between equal quote times; conversion pairs must be among them. */
  symbols: string[];
  /** The recorded range [from, to), epoch ms UTC. */
  from: number;
  to: number;
  source: FeedSource | "auto";
  /** Spread (price units) for M1 bars that carry none. */
  typicalSpreads: Record<string, number>;
  currency: string;
  initialBalance: string;
  /** Shown in account info; margin comes from each symbol's margin rate. */
  leverage: number;
  latency: LatencySpec;
  /** Commission per lot and side, in account currency. */
  commissionPerLot: string;
  /** Swap per lot and night in account currency (negative charges); none unless given. */
  swap: Record<string, { longPerLot: string; shortPerLot: string }>;
  /** Margin level (percent) below which positions are stopped out. */
  stopOutLevel: number;
  /** A symbol without a quote for this long is closed. */
  marketClosedAfterMs: number;
  /** False for a netting account (MT5 netting): one position per symbol, which later fills add to, reduce or reverse. */
  hedging: boolean;
}

/** Settings as callers give them: times as epoch ms or ISO strings, money as any decimal input, most fields optional. */
export interface PaperSettingsInput {
  accountId: string;
  symbols?: readonly string[];
  from: number | string;
  to: number | string;
  source?: FeedSource | "auto";
  typicalSpreads?: Readonly<Record<string, number>>;
  currency?: string;
  initialBalance?: DecimalInput;
  leverage?: number;
  latency?: LatencySpec;
  commissionPerLot?: DecimalInput;
  swap?: Readonly<Record<string, { longPerLot: DecimalInput; shortPerLot: DecimalInput }>>;
  stopOutLevel?: number;
  marketClosedAfterMs?: number;
  hedging?: boolean;
}

/** Validates settings (also when they come from stored JSON) and fills defaults; throws CORE_ERR_INVALID naming the field. */
export function resolvePaperSettings(input: PaperSettingsInput, instruments: readonly SymbolSpec[], defaults: PaperConfig = PAPER_DEFAULTS): PaperSettings {
  if (typeof input !== "object" || input === null) throw invalid("paperSettings", "must be an object");
  const known = new Set(instruments.map((s) => s.symbol));
  if (input.symbols !== undefined && !Array.isArray(input.symbols)) throw invalid("symbols", "must be a list of symbols");
  const symbols = input.symbols === undefined ? [...known] : [...input.symbols];
  if (symbols.length === 0) throw invalid("symbols", "must list at least one symbol");
  for (const s of symbols) if (typeof s !== "string" || !known.has(s)) throw invalid("symbols", `${String(s)} has no instrument specification`);
  if (new Set(symbols).size !== symbols.length) throw invalid("symbols", "lists a symbol twice");
  const from = time(input.from, "from");
  const to = time(input.to, "to");
  if (!(from < to)) throw invalid("to", "must lie after from");
  const source = input.source ?? "auto";
  if (!["ticks", "bars", "auto"].includes(source)) throw invalid("source", "must be ticks, bars or auto");
  const typicalSpreads = { ...(input.typicalSpreads ?? {}) };
  for (const [s, v] of Object.entries(typicalSpreads)) if (!(typeof v === "number" && v >= 0)) throw invalid(`typicalSpreads.${s}`, "must be a non-negative number");
  const currency = input.currency ?? "USD";
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid("currency", "must be a three-letter currency code");
  const leverage = input.leverage ?? 100;
  if (!(typeof leverage === "number" && leverage > 0)) throw invalid("leverage", "must be positive");
  const stopOutLevel = input.stopOutLevel ?? defaults.stopOutLevel;
  if (!(typeof stopOutLevel === "number" && stopOutLevel >= 0)) throw invalid("stopOutLevel", "must be a non-negative percentage");
  const marketClosedAfterMs = input.marketClosedAfterMs ?? defaults.marketClosedAfterMs;
  if (!(Number.isInteger(marketClosedAfterMs) && marketClosedAfterMs > 0)) throw invalid("marketClosedAfterMs", "must be a positive integer");
  const hedging = input.hedging ?? true;
  if (typeof hedging !== "boolean") throw invalid("hedging", "must be true (hedging) or false (netting)");
  if (input.latency !== undefined && (typeof input.latency !== "object" || input.latency === null)) throw invalid("latency", "must be an object");
  const swap: PaperSettings["swap"] = {};
  for (const [s, rate] of Object.entries(input.swap ?? {})) {
    if (!known.has(s)) throw invalid(`swap.${s}`, "has no instrument specification");
    swap[s] = { longPerLot: money(rate?.longPerLot, `swap.${s}.longPerLot`).toString(), shortPerLot: money(rate?.shortPerLot, `swap.${s}.shortPerLot`).toString() };
  }
  return {
    accountId: input.accountId,
    symbols,
    from,
    to,
    source,
    typicalSpreads,
    currency,
    initialBalance: nonNegative(input.initialBalance ?? defaults.initialBalance, "initialBalance").toString(),
    leverage,
    latency: validateLatencySpec(input.latency ?? { kind: "fixed", ms: defaults.latencyMs }),
    commissionPerLot: nonNegative(input.commissionPerLot ?? defaults.commissionPerLot, "commissionPerLot").toString(),
    swap,
    stopOutLevel,
    marketClosedAfterMs,
    hedging,
  };
}

function time(value: unknown, name: string): number {
  const t = typeof value === "string" ? Date.parse(value) : value;
  if (typeof t !== "number" || !Number.isFinite(t)) throw invalid(name, "must be epoch ms or an ISO date-time");
  return t;
}

function money(value: unknown, name: string): Decimal {
  try {
    const d = dec(value as DecimalInput);
    if (d.isFinite()) return d;
  } catch {
    // reported below with the field's name
  }
  throw invalid(name, "must be a decimal number");
}

function nonNegative(value: unknown, name: string): Decimal {
  const d = money(value, name);
  if (d.isNeg()) throw invalid(name, "must not be negative");
  return d;
}
