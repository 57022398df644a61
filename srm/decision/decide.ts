import { Decimal, dec, type SymbolSpec, type TradeIntent } from "../../core/index.ts";
import type { QuantilePredictor } from "../../models/index.ts";
import { featuresForOrder, type ContextFields, type FeatureInput, type FeatureSchema } from "../features/index.ts";
import { computeLot, type LotParams } from "../lot/index.ts";
import type { DecisionReason } from "./decision-reasons.ts";
import type { SrmPolicy } from "./srm-policy.ts";

export type RiskState = "ACTIVE" | "REDUCING" | "HALTED";

/** What SRM knows about the account when it decides. Money in the account currency. */
export interface AccountSnapshot {
  balance: Decimal;
  equity: Decimal;
  freeMargin: Decimal;
  riskState: RiskState;
  dayStartBalance: Decimal;
  equityHighWaterMark: Decimal;
}

export interface ProviderSnapshot {
  score: number;
  tradeCount: number;
  mature: boolean;
}

export interface DecisionInput {
  intent: TradeIntent;
  spec: SymbolSpec;
  /** The venue's current quote; null when none is fresh enough (then deviation cannot be checked). */
  quote: { bid: number; ask: number; time: number } | null;
  context: ContextFields | null;
  account: AccountSnapshot;
  /** Account-currency value of one unit of the symbol's quote currency. */
  quoteToAccountRate: number;
  provider: ProviderSnapshot | null;
  now: number;
}

/** A loaded slippage model: its registry version, feature schema, encoder and typed-array predictor. */
export interface SlippageModel {
  version: string;
  schema: FeatureSchema;
  encode(x: FeatureInput): Float32Array;
  predictor: QuantilePredictor;
}

export interface DecisionModels {
  slippage: SlippageModel | null;
}

export interface Decision {
  action: "EXECUTE" | "REJECT";
  intent: TradeIntent;
  lot: Decimal;
  baseLot: Decimal;
  originalStopLoss: Decimal | undefined;
  stopLoss: Decimal | undefined;
  takeProfit: Decimal | undefined;
  slippage: { p50: number; p90: number; source: "model" | "fallback" } | null;
  providerScore: number | null;
  reasons: DecisionReason[];
  features: FeatureInput | null;
  modelVersions: Record<string, string>;
  /** True when a model or the market context was unavailable and formula rules decided instead. */
  degraded: boolean;
  decidedAt: number;
}

const ZERO = new Decimal(0);
const pipsText = (v: number) => `${v.toFixed(1)} pips`;

/**
 * The SRM decision for one intent: a pure function of its inputs (fast, deterministic, testable). Exits
 * always pass; a halted account opens nothing; a reducing account only reduces; then the signal-quality
 * filter, the slippage prediction, the stop-loss buffer and the lot engine. Every change is a reason.
 */
export function decide(input: DecisionInput, models: DecisionModels, policy: SrmPolicy, lotParams?: LotParams): Decision {
  const { intent, spec, account, provider, now } = input;
  const reasons: DecisionReason[] = [];
  const base: Decision = {
    action: "REJECT",
    intent,
    lot: ZERO,
    baseLot: intent.volume,
    originalStopLoss: intent.stopLoss,
    stopLoss: intent.stopLoss,
    takeProfit: intent.takeProfit,
    slippage: null,
    providerScore: provider?.score ?? null,
    reasons,
    features: null,
    modelVersions: {},
    degraded: false,
    decidedAt: now,
  };

  if (intent.kind === "CLOSE" || intent.kind === "CLOSE_PARTIAL") {
    reasons.push({ code: "SRM_EXIT_ALLOWED", text: "exits and reductions always pass" });
    return { ...base, action: "EXECUTE", lot: intent.volume };
  }
  if (account.riskState === "HALTED") return rejected(base, "SRM_ACCOUNT_HALTED", "account is halted by risk protection; only exits pass until a manual reset");
  if (intent.kind === "MODIFY") return { ...base, action: "EXECUTE", lot: intent.volume };
  if (account.riskState === "REDUCING") return rejected(base, "SRM_ACCOUNT_REDUCING", "account is reducing exposure; new positions are not opened");

  const dayLoss = account.dayStartBalance.gt(0) ? account.dayStartBalance.sub(account.equity).div(account.dayStartBalance).toNumber() * 100 : 0;
  if (dayLoss >= policy.dailyLossLimitPercent) {
    return rejected(base, "SRM_DAILY_LOSS_LIMIT", `today's loss ${dayLoss.toFixed(2)}% reached the daily limit of ${policy.dailyLossLimitPercent}%`);
  }

  const ageSeconds = (now - intent.signalTime) / 1000;
  const ttl = intent.ttlSeconds ?? policy.signalTtlSeconds;
  if (ageSeconds > ttl) return rejected(base, "SRM_SIGNAL_STALE", `signal is ${ageSeconds.toFixed(1)} s old, beyond its ${ttl} s time to live`);

  const entryQuote = input.quote ? (intent.side === "BUY" ? input.quote.ask : input.quote.bid) : null;
  const reference = intent.price?.toNumber() ?? entryQuote;
  if (reference === null) return rejected(base, "SRM_CONTEXT_MISSING", "no price: the intent has none and no fresh quote is available");
  if (intent.price && entryQuote !== null) {
    const movedPips = ((entryQuote - intent.price.toNumber()) * (intent.side === "BUY" ? 1 : -1)) / spec.pipSize;
    if (movedPips > policy.maxPriceDeviationPips) {
      return rejected(base, "SRM_PRICE_MOVED", `price moved ${pipsText(movedPips)} against the signal, more than the ${pipsText(policy.maxPriceDeviationPips)} allowed`);
    }
  }

  if (provider && provider.score < policy.rejectScoreBelow) {
    return rejected(base, "SRM_PROVIDER_SCORE_LOW", `provider score ${provider.score.toFixed(0)} is below the minimum of ${policy.rejectScoreBelow}`);
  }

  const drawdown = account.equityHighWaterMark.gt(0) ? account.equityHighWaterMark.sub(account.equity).div(account.equityHighWaterMark).toNumber() : null;
  const features = featuresForOrder({
    symbol: intent.symbol,
    side: intent.side,
    fillKind: "MARKET",
    at: now,
    pipSize: spec.pipSize,
    context: input.context,
    referencePrice: reference,
    stopLoss: intent.stopLoss?.toNumber() ?? null,
    signalTime: intent.signalTime,
    volumeLots: intent.volume.toNumber(),
    providerScore: provider?.score ?? null,
    providerTradeCount: provider?.tradeCount ?? 0,
    accountDrawdown: drawdown,
  });
  base.features = features;

  let slippage: NonNullable<Decision["slippage"]>;
  if (models.slippage) {
    const out = new Float64Array(models.slippage.predictor.quantiles.length);
    models.slippage.predictor.predictInto(models.slippage.encode(features), out);
    slippage = { p50: Math.max(0, out[0]!), p90: Math.max(0, out[out.length - 1]!), source: "model" };
    base.modelVersions.slippage = models.slippage.version;
  } else {
    const atrPart = (features.atrPips ?? 0) * policy.slBufferAtrFraction;
    slippage = { p50: 0, p90: policy.fallbackSlippageP90Pips + atrPart, source: "fallback" };
    base.degraded = true;
    reasons.push({ code: "SRM_MODEL_FALLBACK", text: `no slippage model is live; assuming p90 slippage of ${pipsText(slippage.p90)}` });
  }
  base.slippage = slippage;
  if (!input.context) {
    base.degraded = true;
    reasons.push({ code: "SRM_CONTEXT_MISSING", text: "no market context for this instant; ATR and spread are unknown" });
  }
  if (slippage.p90 > policy.maxSlippageP90Pips) {
    return rejected(base, "SRM_SLIPPAGE_TOO_HIGH", `predicted p90 slippage ${pipsText(slippage.p90)} exceeds the maximum of ${pipsText(policy.maxSlippageP90Pips)}`);
  }

  let stopLoss = intent.stopLoss;
  if (stopLoss) {
    const bufferPips = clamp(slippage.p90 + (features.atrPips ?? 0) * policy.slBufferAtrFraction, policy.slBufferMinPips, policy.slBufferMaxPips);
    const shift = dec(bufferPips).mul(spec.pipSize).mul(intent.side === "BUY" ? -1 : 1);
    stopLoss = stopLoss.add(shift).toDecimalPlaces(spec.digits, intent.side === "BUY" ? Decimal.ROUND_FLOOR : Decimal.ROUND_CEIL);
    reasons.push({ code: "SRM_SL_BUFFERED", text: `stop loss moved ${pipsText(bufferPips)} from ${intent.stopLoss!.toString()} to ${stopLoss.toString()} to cover p90 slippage` });
  } else {
    reasons.push({ code: "SRM_NO_STOP_LOSS", text: "the intent has no stop loss: risk per trade cannot be bounded, lot is capped by margin limits only" });
  }

  // Without a stop loss the lot engine sizes against a notional stop of max(ATR×10, 50 pips) so its limits still apply.
  const notionalStop = stopLoss ?? dec(reference).add(dec(Math.max((features.atrPips ?? 0) * 10, 50) * spec.pipSize).mul(intent.side === "BUY" ? -1 : 1));
  const lot = computeLot(
    {
      sizing: { mode: "fixed", lot: intent.volume },
      equity: account.equity,
      freeMargin: account.freeMargin,
      symbol: spec,
      side: intent.side,
      entryPrice: reference,
      stopLoss: notionalStop,
      quoteToAccountRate: input.quoteToAccountRate,
      providerScore: provider?.score,
      predictedSlippageP90Pips: slippage.p90,
    },
    lotParams,
  );
  for (const a of lot.adjustments) reasons.push({ code: a.code, text: a.text });
  if (lot.rejected) return { ...rejected(base, lot.rejected.code, lot.rejected.text), baseLot: lot.baseLot };
  return { ...base, action: "EXECUTE", lot: lot.lot, baseLot: lot.baseLot, stopLoss };
}

/** The decision as a rejection for this reason. (Not a closure: the TypeScript loader wraps each named closure in a naming call, paid on every decision.) */
function rejected(base: Decision, code: DecisionReason["code"], text: string): Decision {
  base.reasons.push({ code, text });
  return base;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
