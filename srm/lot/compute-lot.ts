import { Decimal, dec, floorToStep, invalid, type DecimalInput, type Side, type SymbolSpec } from "../../core/index.ts";
import { scoreMultiplier, slippageMultiplier } from "./lot-multipliers.ts";
import { formatLot, formatMoney, type Adjustment, type LotAdjustmentCode, type LotRejection } from "./lot-reasons.ts";
import { DEFAULT_LOT_PARAMS, type LotParams } from "./lot.config.ts";

/** Risk-based sizing from equity, or a base lot the caller computed (e.g. the copy engine's balance-ratio lot). */
export type LotSizing = { mode: "risk_percent"; riskPercent: number } | { mode: "fixed"; lot: DecimalInput };

/** Account-level limits a caller may tighten or loosen per call (e.g. from a copy subscription). */
export type LotLimits = Pick<LotParams, "maxPositionMarginPercent" | "maxLeverage" | "maxRiskPercent">;

/** Everything `computeLot` needs; money in account currency, prices in the symbol's quote currency. */
export interface LotInput {
  sizing: LotSizing;
  equity: DecimalInput;
  freeMargin: DecimalInput;
  symbol: SymbolSpec;
  side: Side;
  /** Expected entry price (the intent's reference price or the current quote). */
  entryPrice: DecimalInput;
  /** Stop-loss price, already buffered by the caller. */
  stopLoss: DecimalInput;
  /** Account-currency value of one unit of the quote currency: 1 for EURUSD in a USD account, 1/USDJPY for USDJPY. */
  quoteToAccountRate: DecimalInput;
  /** The provider's score (0–100); absent for trades without a provider. */
  providerScore?: number;
  /** Predicted p90 slippage in pips (adverse positive); absent when no prediction is available. */
  predictedSlippageP90Pips?: number;
  limits?: Partial<LotLimits>;
}

/** The sized lot (exact, on the volume step), where it started, every change on the way, and what it risks. */
export interface LotResult {
  /** 0 when rejected. */
  lot: Decimal;
  baseLot: Decimal;
  adjustments: Adjustment[];
  rejected?: LotRejection;
  /** Money lost at the SL with `lot` (account currency). */
  risk: Decimal;
  /** Margin `lot` ties up (account currency). */
  margin: Decimal;
}

/** Rounds toward zero, so that a lot limit is never computed above its exact value. */
const Down = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_DOWN });
const ZERO = new Decimal(0);

function divDown(numerator: Decimal, denominator: Decimal): Decimal {
  return new Decimal(new Down(numerator).div(denominator));
}

/**
 * Sizes a trade. Base lot: `risk_percent` → equity × risk% / (SL distance × contract size × quote→account
 * rate), i.e. equity × risk% / (SL pips × pip value per lot); `fixed` → the given lot. Then, in this order:
 * provider-score multiplier, slippage multiplier, max position size (margin ≤ maxPositionMarginPercent of
 * equity), max leverage (notional ≤ maxLeverage × equity), max risk per trade (loss at the SL ≤
 * maxRiskPercent of equity), free margin (margin ≤ free margin), the symbol's max volume, the volume step
 * (floored), and the symbol's min volume (below it → rejected, never rounded up). Margin = lot × contract
 * size × entry price × margin rate × rate. Every change is recorded with its code and before/after values.
 */
export function computeLot(input: LotInput, params: LotParams = DEFAULT_LOT_PARAMS): LotResult {
  return quickLot(input, params) ?? exactLot(input, params);
}

/** The whole computation in `Decimal`: every limit that may bind is computed exactly, every change recorded. */
export function exactLot(input: LotInput, params: LotParams): LotResult {
  const { symbol: spec } = input;
  const p = input.limits ? { ...params, ...input.limits } : params;
  const equity = dec(input.equity);
  const entry = dec(input.entryPrice);
  const sl = dec(input.stopLoss);
  const rate = dec(input.quoteToAccountRate);
  validate(input, entry, rate);

  const dir = input.side === "BUY" ? 1 : -1;
  const slDistance = entry.sub(sl).mul(dir);
  const unitValue = rate.mul(spec.contractSize);
  const riskPerLot = slDistance.mul(unitValue);

  if (!slDistance.gt(ZERO)) {
    return rejected({ code: "LOT_INVALID_STOP_LOSS", text: `stop loss ${sl.toString()} is not on the losing side of the ${input.side} entry ${entry.toString()}` });
  }
  if (!equity.gt(ZERO)) return rejected({ code: "LOT_NO_EQUITY", text: `equity ${formatMoney(equity)} leaves nothing to size against` });

  // Number mirrors screen the limits cheaply; the exact Decimal limit is computed only when one may bind.
  // (No named closures here: the TypeScript loader wraps each in a naming call, paid on every trade sized.)
  const equityNum = equity.toNumber();
  const unitNum = unitValue.toNumber();
  const riskPerLotNum = riskPerLot.toNumber();
  const notionalPerLotNum = entry.toNumber() * unitNum;
  const marginPerLotNum = notionalPerLotNum * spec.marginRate;

  const baseLot = input.sizing.mode === "fixed" ? dec(input.sizing.lot) : divDown(equity.mul(input.sizing.riskPercent).div(100), riskPerLot);
  const s = new Steps(baseLot);

  const slPips = slDistance.toNumber() / spec.pipSize;
  const slip = input.predictedSlippageP90Pips;
  const slippageRatio = slip === undefined ? undefined : slip / slPips;
  const score = input.providerScore;
  if (score !== undefined) {
    const m = scoreMultiplier(score, slippageRatio, p);
    if (m !== 1) {
      s.change(m < 1 ? "LOT_SCORE_REDUCED" : "LOT_SCORE_INCREASED", s.lot.mul(m), () =>
        m < 1
          ? `provider score ${score.toFixed(0)} is below ${p.scoreLowThreshold}`
          : `provider score ${score.toFixed(0)} is above ${p.scoreHighThreshold} and predicted slippage is ${pct(slippageRatio ?? 0)} of the SL distance`,
      );
    }
  }
  if (slip !== undefined && slippageRatio !== undefined) {
    const m = slippageMultiplier(slippageRatio, p);
    if (m !== 1) {
      s.change("LOT_SLIPPAGE_REDUCED", s.lot.mul(m), () => `predicted p90 slippage ${slip.toFixed(1)} pips is ${pct(slippageRatio)} of the ${slPips.toFixed(1)}-pip SL distance (above ${pct(p.slippageRatioThreshold)})`);
    }
  }

  const positionPct = p.maxPositionMarginPercent;
  s.cap("LOT_MAX_POSITION", (equityNum * positionPct) / 100 / marginPerLotNum, () => divDown(percentOf(equity, positionPct), marginPerLot(entry, unitValue, spec)), () =>
    `margin ${formatMoney(s.lot.mul(marginPerLot(entry, unitValue, spec)))} would exceed the max position size of ${positionPct}% of equity (${formatMoney(percentOf(equity, positionPct))})`,
  );
  s.cap("LOT_MAX_LEVERAGE", (equityNum * p.maxLeverage) / notionalPerLotNum, () => divDown(equity.mul(p.maxLeverage), entry.mul(unitValue)), () =>
    `notional ${formatMoney(s.lot.mul(entry.mul(unitValue)))} would exceed ${p.maxLeverage}× equity (${formatMoney(equity.mul(p.maxLeverage))})`,
  );
  const riskPct = p.maxRiskPercent;
  s.cap("LOT_MAX_RISK", (equityNum * riskPct) / 100 / riskPerLotNum, () => divDown(percentOf(equity, riskPct), riskPerLot), () =>
    `risk ${formatMoney(s.lot.mul(riskPerLot))} at the SL would exceed ${riskPct}% of equity (${formatMoney(percentOf(equity, riskPct))})`,
  );
  const freeMargin = dec(input.freeMargin);
  s.cap("LOT_FREE_MARGIN", freeMargin.toNumber() / marginPerLotNum, () => divDown(freeMargin, marginPerLot(entry, unitValue, spec)), () =>
    `margin ${formatMoney(s.lot.mul(marginPerLot(entry, unitValue, spec)))} would exceed the free margin ${formatMoney(freeMargin)}`,
  );
  if (s.lot.gt(spec.maxVolume)) s.change("LOT_SYMBOL_MAX_VOLUME", spec.maxVolume, () => `the symbol's max volume is ${formatLot(spec.maxVolume)}`);
  s.change("LOT_VOLUME_STEP", floorToStep(s.lot, spec.volumeStep), () => `the volume step is ${spec.volumeStep.toString()}`, "rounded down");

  const lot = s.lot;
  if (lot.lt(spec.minVolume)) {
    const text = `lot ${formatLot(lot)} is below the symbol's min volume ${formatLot(spec.minVolume)}; rejected rather than rounded up into more risk`;
    return { ...rejected({ code: "LOT_BELOW_MIN_VOLUME", text }, baseLot), adjustments: s.adjustments };
  }
  return { lot, baseLot, adjustments: s.adjustments, risk: lot.mul(riskPerLot), margin: lot.mul(marginPerLot(entry, unitValue, spec)) };
}

/** Relative margin by which every number screen of `quickLot` must clear its bound (twice `Steps.cap`'s). */
const CLEAR = 2e-9;

/**
 * The common case in plain numbers: a fixed lot that no multiplier changes and no limit comes near, already on
 * the volume step and within the symbol's volumes, comes back as it went in. Each limit's screen must clear it
 * by a relative margin that float error (about 1e-15 here) cannot cross, so whenever it answers, `exactLot`
 * would have answered the same; anything else (invalid input included) is left to `exactLot` (null). Checked
 * against it in compute-lot.property.test.ts. It saves some thirty `Decimal` operations on every sized trade.
 */
export function quickLot(input: LotInput, params: LotParams): LotResult | null {
  const sizing = input.sizing;
  if (sizing.mode !== "fixed") return null;
  const spec = input.symbol;
  const p = input.limits ? { ...params, ...input.limits } : params;
  const lotN = num(sizing.lot);
  const entryN = num(input.entryPrice);
  const rateN = num(input.quoteToAccountRate);
  const equityN = num(input.equity);
  const freeN = num(input.freeMargin);
  const stepN = spec.volumeStep.toNumber();
  if (!(lotN > 0 && entryN > 0 && rateN > 0 && equityN > 0 && stepN > 0 && spec.contractSize > 0 && spec.pipSize > 0 && spec.marginRate > 0)) return null;
  const score = input.providerScore;
  const slip = input.predictedSlippageP90Pips;
  if ((score !== undefined && !(score >= 0 && score <= 100)) || (slip !== undefined && !Number.isFinite(slip))) return null;
  const slDistanceN = (entryN - num(input.stopLoss)) * (input.side === "BUY" ? 1 : -1);
  if (!(slDistanceN > entryN * CLEAR)) return null;

  // The multipliers depend on the SL distance only through the slippage ratio's thresholds: both ends of its
  // error interval must leave the lot alone.
  if (slip !== undefined || score !== undefined) {
    const ratio = slip === undefined ? undefined : slip / (slDistanceN / spec.pipSize);
    for (const r of ratio === undefined ? [undefined] : [ratio * (1 - CLEAR), ratio * (1 + CLEAR)]) {
      if (score !== undefined && scoreMultiplier(score, r, p) !== 1) return null;
      if (r !== undefined && slippageMultiplier(r, p) !== 1) return null;
    }
  }

  const unitN = rateN * spec.contractSize;
  const notionalPerLotN = entryN * unitN;
  const marginPerLotN = notionalPerLotN * spec.marginRate;
  const within = lotN * (1 + CLEAR);
  if (within > (equityN * p.maxPositionMarginPercent) / 100 / marginPerLotN) return null;
  if (within > (equityN * p.maxLeverage) / notionalPerLotN) return null;
  if (within > (equityN * p.maxRiskPercent) / 100 / (slDistanceN * unitN)) return null;
  if (within > freeN / marginPerLotN) return null;
  // The symbol's volumes and step exactly (comparisons, and one division): brokers' lots sit on these bounds.
  const lot = dec(sizing.lot);
  if (lot.gt(spec.maxVolume) || lot.lt(spec.minVolume) || !lot.mod(spec.volumeStep).isZero()) return null;
  return new UnchangedLot(lot, input);
}

/** `quickLot`'s answer: the lot unchanged; what it risks and ties up are computed exactly when read. */
class UnchangedLot implements LotResult {
  readonly adjustments: Adjustment[] = [];
  readonly #input: LotInput;

  constructor(
    readonly lot: Decimal,
    input: LotInput,
  ) {
    this.#input = input;
  }

  get baseLot(): Decimal {
    return this.lot;
  }

  get risk(): Decimal {
    const i = this.#input;
    return this.lot.mul(dec(i.entryPrice).sub(dec(i.stopLoss)).mul(i.side === "BUY" ? 1 : -1).mul(unitValueOf(i)));
  }

  get margin(): Decimal {
    return this.lot.mul(marginPerLot(dec(this.#input.entryPrice), unitValueOf(this.#input), this.#input.symbol));
  }
}

function unitValueOf(input: LotInput): Decimal {
  return dec(input.quoteToAccountRate).mul(input.symbol.contractSize);
}

function num(v: DecimalInput): number {
  return typeof v === "number" ? v : typeof v === "string" ? Number(v) : v.toNumber();
}

/** The lot as it goes through the limits, with every change recorded. */
class Steps {
  readonly adjustments: Adjustment[] = [];
  lotNum: number;

  constructor(public lot: Decimal) {
    this.lotNum = lot.toNumber();
  }

  change(code: LotAdjustmentCode, after: Decimal, why: () => string, verb = after.gt(this.lot) ? "increased" : "reduced"): void {
    if (after.eq(this.lot)) return;
    this.adjustments.push({ code, text: `lot ${verb} from ${formatLot(this.lot)} to ${formatLot(after)}: ${why()}`, before: this.lot, after });
    this.lot = after;
    this.lotNum = after.toNumber();
  }

  /** Caps the lot at a limit, screened by its Number mirror first. */
  cap(code: LotAdjustmentCode, limitNum: number, exactLimit: () => Decimal, why: () => string): void {
    if (this.lotNum <= limitNum * (1 - 1e-9)) return;
    const limit = Decimal.max(exactLimit(), ZERO);
    if (this.lot.gt(limit)) this.change(code, limit, why);
  }
}

function rejected(rejection: LotRejection, baseLot = ZERO): LotResult {
  return { lot: ZERO, baseLot, adjustments: [], rejected: rejection, risk: ZERO, margin: ZERO };
}

function percentOf(amount: Decimal, percent: number): Decimal {
  return amount.mul(percent).div(100);
}

function marginPerLot(entry: Decimal, unitValue: Decimal, spec: SymbolSpec): Decimal {
  return entry.mul(unitValue).mul(spec.marginRate);
}

function validate(input: LotInput, entry: Decimal, rate: Decimal): void {
  const spec = input.symbol;
  if (!entry.gt(ZERO)) throw invalid("entryPrice", "must be positive", { value: entry.toString() });
  if (!rate.gt(ZERO)) throw invalid("quoteToAccountRate", "must be positive", { value: rate.toString() });
  if (!(spec.contractSize > 0)) throw invalid("symbol.contractSize", "must be positive", { value: spec.contractSize });
  if (!(spec.pipSize > 0)) throw invalid("symbol.pipSize", "must be positive", { value: spec.pipSize });
  if (!(spec.marginRate > 0)) throw invalid("symbol.marginRate", "must be positive", { value: spec.marginRate });
  if (!spec.volumeStep.gt(ZERO)) throw invalid("symbol.volumeStep", "must be positive", { value: spec.volumeStep.toString() });
  if (input.sizing.mode === "risk_percent" && !(input.sizing.riskPercent > 0)) {
    throw invalid("sizing.riskPercent", "must be positive", { value: input.sizing.riskPercent });
  }
  if (input.sizing.mode === "fixed" && !dec(input.sizing.lot).gt(ZERO)) throw invalid("sizing.lot", "must be positive");
  const score = input.providerScore;
  if (score !== undefined && !(score >= 0 && score <= 100)) throw invalid("providerScore", "must be within 0–100", { value: score });
  const slip = input.predictedSlippageP90Pips;
  if (slip !== undefined && !Number.isFinite(slip)) throw invalid("predictedSlippageP90Pips", "must be a finite number", { value: slip });
}

function pct(ratio: number): string {
  return `${(100 * ratio).toFixed(0)}%`;
}
