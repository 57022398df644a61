import { Decimal, dec, floorToStep, type SymbolSpec } from "../../../core/index.ts";
import type { EffectiveSettings } from "./copy-settings.ts";

/** Why a copy was skipped or changed: a stable code and the sentence shown in the copy log. */
export interface CopyReason {
  code: string;
  text: string;
}

/** What the slave's lot is computed from. Money in each account's own currency. */
export interface SizingInput {
  masterLot: Decimal;
  /** The master's money when the signal was seen; null when unknown (ratio modes then cannot size). */
  master: { balance: Decimal; equity: Decimal } | null;
  slave: { balance: Decimal; equity: Decimal };
  /** The slave broker's specification of the (mapped) symbol. */
  spec: SymbolSpec;
  /** The slave's expected entry price. */
  entryPrice: number;
  /** The slave's stop loss (after reversal and the copy-SL rule). */
  stopLoss: Decimal | undefined;
  /** Account-currency value of one unit of the symbol's quote currency. */
  quoteToAccountRate: number;
}

/** A lot to request, with every change the rules made, or the reason nothing is copied. */
export type Sized = { lot: Decimal; adjustments: CopyReason[]; skip?: undefined } | { skip: CopyReason; lot?: undefined };

const fmt = (d: Decimal) => d.toString();

/** Money lost per lot if the stop loss is hit, in the slave's account currency; undefined without a stop. */
function riskPerLot(i: SizingInput): Decimal | undefined {
  if (!i.stopLoss) return undefined;
  const distance = dec(i.entryPrice).minus(i.stopLoss).abs();
  if (!distance.gt(0)) return undefined;
  return distance.mul(i.spec.contractSize).mul(i.quoteToAccountRate);
}

function ratio(masterLot: Decimal, slave: Decimal, master: Decimal | undefined, multiplier: number): Decimal | undefined {
  if (!master || !master.gt(0)) return undefined;
  return masterLot.mul(slave).div(master).mul(multiplier);
}

/**
 * The slave's lot: the scaling mode first, then the minimum lot raises it, the maximum lot, the risk per trade
 * and the leverage cap lower it (risk limits win over the minimum), then it is floored to the broker's volume
 * step; a lot below the broker's minimum is skipped rather than inflated, one above its maximum is capped.
 */
export function sizeCopy(i: SizingInput, s: EffectiveSettings): Sized {
  const ls = s.lotScaling;
  const perLot = riskPerLot(i);
  let lot: Decimal | undefined;
  switch (ls.mode) {
    case "balanceRatio":
      lot = ratio(i.masterLot, i.slave.balance, i.master?.balance, ls.multiplier);
      break;
    case "equityRatio":
      lot = ratio(i.masterLot, i.slave.equity, i.master?.equity, ls.multiplier);
      break;
    case "multiplier":
      lot = i.masterLot.mul(ls.multiplier);
      break;
    case "fixedLot":
      lot = ls.lot!;
      break;
    case "fixedRisk":
      if (!perLot) return { skip: { code: "COPY_NO_STOP_LOSS", text: "fixed-risk scaling copies only trades with a stop loss, and this one has none" } };
      lot = i.slave.balance.mul(ls.riskPercent!).div(100).div(perLot);
      break;
  }
  if (!lot) return { skip: { code: "COPY_MASTER_MONEY_UNKNOWN", text: `the master's ${ls.mode === "equityRatio" ? "equity" : "balance"} is unknown or zero, so the ${ls.mode} lot cannot be computed` } };
  const adjustments: CopyReason[] = [];
  if (s.minLot && lot.lt(s.minLot)) lot = changed(adjustments, lot, s.minLot, "COPY_LOT_MIN_RAISED", `raised to the minimum lot ${fmt(s.minLot)}`);
  if (s.maxLot && lot.gt(s.maxLot)) lot = changed(adjustments, lot, s.maxLot, "COPY_LOT_MAX_CAPPED", `capped at the maximum lot ${fmt(s.maxLot)}`);
  if (s.maxRiskPerTradePercent !== undefined && perLot) {
    const cap = i.slave.balance.mul(s.maxRiskPerTradePercent).div(100).div(perLot);
    if (lot.gt(cap)) lot = changed(adjustments, lot, cap, "COPY_LOT_RISK_CAPPED", `the loss to the stop loss would exceed ${s.maxRiskPerTradePercent}% of the balance`);
  }
  if (s.maxLeverage !== undefined) {
    const notionalPerLot = dec(i.entryPrice).mul(i.spec.contractSize).mul(i.quoteToAccountRate);
    const cap = notionalPerLot.gt(0) && i.slave.equity.gt(0) ? i.slave.equity.mul(s.maxLeverage).div(notionalPerLot) : new Decimal(0);
    if (lot.gt(cap)) lot = changed(adjustments, lot, cap, "COPY_LOT_LEVERAGE_CAPPED", `the trade's notional would exceed ${s.maxLeverage}× the equity`);
  }
  const stepped = floorToStep(lot, i.spec.volumeStep);
  if (stepped.lt(i.spec.minVolume)) {
    return { skip: { code: "COPY_LOT_BELOW_MINIMUM", text: `the scaled lot ${fmt(lot.toDecimalPlaces(4))} is below the broker's minimum of ${fmt(i.spec.minVolume)}` } };
  }
  lot = stepped;
  if (lot.gt(i.spec.maxVolume)) lot = changed(adjustments, lot, i.spec.maxVolume, "COPY_LOT_BROKER_MAX", `capped at the broker's maximum of ${fmt(i.spec.maxVolume)}`);
  return { lot, adjustments };
}

/**
 * Records a change of the lot and returns the new one. (Not a closure: the TypeScript loader wraps each named
 * closure in a naming call, paid on every copy.)
 */
function changed(adjustments: CopyReason[], lot: Decimal, next: Decimal, code: string, why: string): Decimal {
  adjustments.push({ code, text: `lot ${fmt(lot.toDecimalPlaces(4))} → ${fmt(next.toDecimalPlaces(4))}: ${why}` });
  return next;
}
