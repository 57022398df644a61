import { dec, invalid, type Decimal, type Side } from "../../../core/index.ts";

/** How a slave's lot is derived from the master's. */
export type LotScalingMode = "balanceRatio" | "equityRatio" | "multiplier" | "fixedLot" | "fixedRisk";

/**
 * Lot scaling: `balanceRatio` (default) and `equityRatio` scale the master's lot by slave/master money times
 * `multiplier`; `multiplier` scales it by `multiplier` alone; `fixedLot` always trades `lot`; `fixedRisk` risks
 * `riskPercent` of the slave's balance to the stop loss and copies only trades that have one.
 */
export interface LotScaling {
  mode: LotScalingMode;
  multiplier?: number;
  lot?: string;
  riskPercent?: number;
}

/** Broker naming rules: strip the master broker's decoration, then add the slave broker's. */
export interface SymbolNaming {
  stripPrefix?: string;
  stripSuffix?: string;
  addPrefix?: string;
  addSuffix?: string;
}

/** Copy settings of one level (provider or subscriber); every field is optional and combines by `combineSettings`. */
export interface CopySettings {
  lotScaling?: LotScaling;
  /** Lots; decimal strings. */
  minLot?: string;
  maxLot?: string;
  /** Largest loss to the stop loss per copied trade, in percent of the slave's balance. */
  maxRiskPerTradePercent?: number;
  /** Largest notional of one copied trade over the slave's equity. */
  maxLeverage?: number;
  maxSignalDelaySeconds?: number;
  maxPriceDeviationPips?: number;
  /** Explicit pairs master symbol → slave symbol, applied recursively. */
  symbolMapping?: Record<string, string>;
  symbolNaming?: SymbolNaming;
  includeSymbols?: string[];
  excludeSymbols?: string[];
  allowedSides?: Side[];
  reverse?: boolean;
  copyStopLoss?: boolean;
  copyTakeProfit?: boolean;
  copyPendingOrders?: boolean;
  closeOnly?: boolean;
}

/** The settings a copy is planned with: both levels combined, defaults filled, lots as decimals. */
export interface EffectiveSettings {
  lotScaling: { mode: LotScalingMode; multiplier: number; lot: Decimal | undefined; riskPercent: number | undefined };
  minLot: Decimal | undefined;
  maxLot: Decimal | undefined;
  maxRiskPerTradePercent: number | undefined;
  maxLeverage: number | undefined;
  maxSignalDelaySeconds: number;
  maxPriceDeviationPips: number | undefined;
  symbolMapping: Record<string, string>;
  symbolNaming: SymbolNaming;
  /** Undefined: every symbol; otherwise only these (master symbols). */
  includeSymbols: string[] | undefined;
  excludeSymbols: string[];
  allowedSides: Side[];
  reverse: boolean;
  copyStopLoss: boolean;
  copyTakeProfit: boolean;
  copyPendingOrders: boolean;
  closeOnly: boolean;
}

const MODES: readonly LotScalingMode[] = ["balanceRatio", "equityRatio", "multiplier", "fixedLot", "fixedRisk"];
const KEYS = new Set<keyof CopySettings>([
  "lotScaling",
  "minLot",
  "maxLot",
  "maxRiskPerTradePercent",
  "maxLeverage",
  "maxSignalDelaySeconds",
  "maxPriceDeviationPips",
  "symbolMapping",
  "symbolNaming",
  "includeSymbols",
  "excludeSymbols",
  "allowedSides",
  "reverse",
  "copyStopLoss",
  "copyTakeProfit",
  "copyPendingOrders",
  "closeOnly",
]);
const SYMBOL = /^[A-Za-z0-9._#+-]{1,32}$/;
const AFFIX = /^[A-Za-z0-9._#+-]{1,16}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function positive(v: unknown, at: string, max: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > max) throw invalid(at, `must be a number in (0, ${max}]`);
  return v;
}

function lots(v: unknown, at: string): string {
  if (typeof v !== "string" || !/^\d+(\.\d+)?$/.test(v) || !dec(v).gt(0)) throw invalid(at, "must be a positive decimal string of lots, e.g. \"0.10\"");
  return v;
}

function bool(v: unknown, at: string): boolean {
  if (typeof v !== "boolean") throw invalid(at, "must be true or false");
  return v;
}

function symbols(v: unknown, at: string): string[] {
  if (!Array.isArray(v) || v.length > 500) throw invalid(at, "must be a list of at most 500 symbols");
  return v.map((s, i) => {
    if (typeof s !== "string" || !SYMBOL.test(s)) throw invalid(`${at}.${i}`, "is not a symbol name");
    return s;
  });
}

function lotScaling(v: unknown, at: string): LotScaling {
  if (!isObject(v)) throw invalid(at, "must be an object with a mode");
  for (const k of Object.keys(v)) if (!["mode", "multiplier", "lot", "riskPercent"].includes(k)) throw invalid(`${at}.${k}`, "is not a lot scaling field");
  const mode = v.mode as LotScalingMode;
  if (!MODES.includes(mode)) throw invalid(`${at}.mode`, `must be one of ${MODES.join(", ")}`);
  const out: LotScaling = { mode };
  if (v.multiplier !== undefined) {
    if (mode === "fixedLot" || mode === "fixedRisk") throw invalid(`${at}.multiplier`, `does not apply to ${mode}`);
    out.multiplier = positive(v.multiplier, `${at}.multiplier`, 1000);
  }
  if (mode === "multiplier" && out.multiplier === undefined) throw invalid(`${at}.multiplier`, "is required by the multiplier mode");
  if (v.lot !== undefined || mode === "fixedLot") {
    if (mode !== "fixedLot") throw invalid(`${at}.lot`, "applies to fixedLot only");
    out.lot = lots(v.lot, `${at}.lot`);
  }
  if (v.riskPercent !== undefined || mode === "fixedRisk") {
    if (mode !== "fixedRisk") throw invalid(`${at}.riskPercent`, "applies to fixedRisk only");
    out.riskPercent = positive(v.riskPercent, `${at}.riskPercent`, 100);
  }
  return out;
}

function naming(v: unknown, at: string): SymbolNaming {
  if (!isObject(v)) throw invalid(at, "must be an object");
  const out: SymbolNaming = {};
  for (const [k, s] of Object.entries(v)) {
    if (!["stripPrefix", "stripSuffix", "addPrefix", "addSuffix"].includes(k)) throw invalid(`${at}.${k}`, "is not a naming rule");
    if (typeof s !== "string" || !AFFIX.test(s)) throw invalid(`${at}.${k}`, "must be 1–16 symbol characters");
    out[k as keyof SymbolNaming] = s;
  }
  return out;
}

function mapping(v: unknown, at: string): Record<string, string> {
  if (!isObject(v) || Object.keys(v).length > 500) throw invalid(at, "must be an object of at most 500 master → slave symbol pairs");
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(v)) {
    if (!SYMBOL.test(from)) throw invalid(`${at}.${from}`, "is not a symbol name");
    if (typeof to !== "string" || !SYMBOL.test(to)) throw invalid(`${at}.${from}`, "must map to a symbol name");
    out[from] = to;
  }
  return out;
}

/**
 * Checks the shape of one level's settings (stored JSON or an API body) and returns them typed; throws
 * CORE_ERR_INVALID naming the field (`rules.lotScaling.mode`). Contradictions are `validateSettings`'s job.
 */
export function parseCopySettings(raw: unknown, at = "rules"): CopySettings {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw invalid(at, "must be an object");
  const out: CopySettings = {};
  for (const [k, v] of Object.entries(raw)) {
    const f = `${at}.${k}`;
    if (!KEYS.has(k as keyof CopySettings)) throw invalid(f, "is not a copy setting");
    if (v === undefined) continue;
    switch (k as keyof CopySettings) {
      case "lotScaling":
        out.lotScaling = lotScaling(v, f);
        break;
      case "minLot":
      case "maxLot":
        out[k as "minLot" | "maxLot"] = lots(v, f);
        break;
      case "maxRiskPerTradePercent":
        out.maxRiskPerTradePercent = positive(v, f, 100);
        break;
      case "maxLeverage":
        out.maxLeverage = positive(v, f, 3000);
        break;
      case "maxSignalDelaySeconds":
        out.maxSignalDelaySeconds = positive(v, f, 86_400);
        break;
      case "maxPriceDeviationPips":
        out.maxPriceDeviationPips = positive(v, f, 10_000);
        break;
      case "symbolMapping":
        out.symbolMapping = mapping(v, f);
        break;
      case "symbolNaming":
        out.symbolNaming = naming(v, f);
        break;
      case "includeSymbols":
      case "excludeSymbols":
        out[k as "includeSymbols" | "excludeSymbols"] = symbols(v, f);
        break;
      case "allowedSides": {
        if (!Array.isArray(v) || v.some((s) => s !== "BUY" && s !== "SELL")) throw invalid(f, 'must be a list of "BUY" and/or "SELL"');
        out.allowedSides = [...new Set(v as Side[])];
        break;
      }
      default:
        out[k as "reverse" | "copyStopLoss" | "copyTakeProfit" | "copyPendingOrders" | "closeOnly"] = bool(v, f);
    }
  }
  return out;
}
