import type { TradeIntent } from "../../core/index.ts";
import { decide, type ProviderSnapshot } from "../decision/decide.ts";
import { DEFAULT_RISK_SETTINGS, riskRulesFor, type RiskRule } from "../risk/index.ts";
import { applyTrade, createScoreState, DEFAULT_SCORE_PARAMS, scoreOf, type ScoreParams, type ScoreState } from "../score/index.ts";
import { copyOutcome } from "./copy-outcome.ts";
import { ReplayAccount, type ProtectionEvent } from "./replay-account.ts";
import type { ReplayHistory, ReplayTrade } from "./replay-history.ts";
import type { ReplayPolicy } from "./replay-policy.ts";

/** Options of `replayTrades`. */
export interface ReplayOptions {
  /** The follower account's protection. @defaultValue the service defaults: daily loss 2%, emergency stop 20%, stop-loss streak 3 */
  rules?: readonly RiskRule[];
  /** Margin level (equity / used margin) at or below which the broker stops the account out; null models no broker margin (nothing is refused for margin). @defaultValue 0.5 */
  stopOutLevel?: number | null;
  /** A person resets a halted account at the next trading day instead of never. @defaultValue false */
  resetNextDay?: boolean;
  /** `ignore`: the follower keeps its own money (only the starting balance); `replay`: it also makes the provider's later deposits and withdrawals. @defaultValue "ignore" */
  cashflows?: "ignore" | "replay";
  scoreParams?: ScoreParams;
  /** Called once per provider trade with what the follower did, for tracing and tests. */
  trace?(entry: ReplayTraceEntry): void;
}

/** One provider trade's fate in a replay. */
export interface ReplayTraceEntry {
  ticket: string;
  at: number;
  /** The provider's score as the decision saw it (null before its first closed trade). */
  providerScore: number | null;
  providerTrades: number;
  /** The copied lot; 0 when not copied. */
  lot: number;
  /** Why it was not copied (a decision reason code, `SRM_ACCOUNT_*`, or `BROKER_NOT_ENOUGH_MARGIN`); null when copied. */
  skipped: string | null;
}

/** A policy's replay, in the units the report prints. */
export interface ReplayResult {
  policy: string;
  /** Sum of the copies' net results (cash flows excluded). */
  net_profit: number;
  /** Deepest fall of the balance below its peak, percent of the peak. */
  max_drawdown_pct: number;
  max_drawdown_money: number;
  /** Daily-loss, emergency-stop and period-limit breaches plus broker stop-outs. */
  stop_outs: number;
  stop_outs_by: Record<string, number>;
  /** Trades copied. */
  trades: number;
  /** Provider trades not copied, for any reason (see `filtered_by`). */
  trades_filtered: number;
  filtered_by: Record<string, number>;
  /** Copies with a smaller lot than the provider's. */
  lots_reduced: number;
  lots_increased: number;
  lots_copied: number;
  /** The provider's lots on the trades that were copied. */
  provider_lots_of_copied: number;
  sl_buffered: number;
  /** Stop-loss exits re-priced at the buffered level. */
  sl_buffered_exits: number;
  sl_streak_pauses: number;
  starting_balance: number;
  final_balance: number;
  /** The first protection events, for the reader who wants to know what stopped the account. */
  protection_events: { at: string; rule: string; text: string }[];
}

const PROTECTION_EVENTS_SHOWN = 10;

interface OpenCopy {
  trade: ReplayTrade;
  lot: number;
  stopLoss: number | null;
  margin: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The intent the provider's signal would have been when the trade opened. */
function intentOf(t: ReplayTrade): TradeIntent {
  return {
    id: `replay-${t.ticket}`,
    source: "COPY",
    dedupKey: `replay:${t.ticket}`,
    accountId: "replay-follower",
    symbol: t.symbol,
    side: t.side,
    kind: "OPEN",
    volume: t.volume,
    price: t.openPrice,
    ...(t.stopLoss ? { stopLoss: t.stopLoss } : {}),
    ...(t.takeProfit ? { takeProfit: t.takeProfit } : {}),
    providerId: "replay-provider",
    signalTime: t.openTime,
    receivedAt: t.openTime,
  };
}

/**
 * Replays a provider's history through one policy, as a follower copying it from the first trade. Events run in
 * time order (at one instant: cash flows, then closes, then opens). Before each open: the account moves to that
 * instant (risk windows roll, holds expire); the provider's score is folded from its trades closed by then (walk-
 * forward: nothing later is seen); then the policy decides the copy: `none` copies at the provider's lot unless
 * the account is halted or reducing, `srm` calls `decide` with no quote and no market context (statements have
 * neither; SRM falls back to its formula as it does live). A copy also needs the broker's margin. At its close
 * the copy's result comes from `copyOutcome`, and the account's protection re-reads its rules.
 */
export function replayTrades(h: ReplayHistory, policy: ReplayPolicy, opts: ReplayOptions = {}): ReplayResult {
  const params = opts.scoreParams ?? DEFAULT_SCORE_PARAMS;
  const account = new ReplayAccount(h.startingBalance, h.trades[0]!.openTime, {
    rules: opts.rules ?? riskRulesFor([], DEFAULT_RISK_SETTINGS),
    stopOutLevel: opts.stopOutLevel === undefined ? 0.5 : opts.stopOutLevel,
    resetNextDay: opts.resetNextDay ?? false,
  });
  const byClose = h.trades.map((t) => t.scored).sort((a, b) => a.closeTime - b.closeTime || a.openTime - b.openTime);
  const cashflows = opts.cashflows === "replay" ? h.cashflows : [];
  const open: OpenCopy[] = [];
  const filtered: Record<string, number> = {};
  const r = { copied: 0, reduced: 0, increased: 0, lots: 0, providerLots: 0, buffered: 0, bufferedExits: 0, net: 0 };
  let score: ScoreState = createScoreState();
  let folded = 0;
  let nextCashflow = 0;

  /** Closes and cash flows up to `until` (inclusive), in time order. */
  const settleUntil = (until: number) => {
    for (;;) {
      const cf = cashflows[nextCashflow];
      const close = open[0];
      const closeAt = close?.trade.closeTime ?? Infinity;
      if (cf && cf.at <= until && cf.at <= closeAt) {
        account.advance(cf.at);
        account.cashflow(cf.at, cf.amount);
        nextCashflow++;
      } else if (close && closeAt <= until) {
        open.shift();
        const inst = h.instruments[close.trade.symbol]!;
        const outcome = copyOutcome(close.trade, close.lot, close.stopLoss, inst.spec.contractSize * inst.quoteToAccountRate);
        if (outcome.bufferedExit) r.bufferedExits++;
        r.net += outcome.net;
        account.advance(closeAt);
        account.close(closeAt, close.margin, outcome.net, close.trade.scored.closeReason === "SL");
      } else return;
    }
  };

  for (const t of h.trades) {
    settleUntil(t.openTime);
    account.advance(t.openTime);
    while (folded < byClose.length && byClose[folded]!.closeTime <= t.openTime) score = applyTrade(score, byClose[folded++]!, params);
    const provider: ProviderSnapshot | null = score.trades > 0 ? providerSnapshot(score, t.openTime, params) : null;
    const inst = h.instruments[t.symbol]!;
    const traced = { ticket: t.ticket, at: t.openTime, providerScore: provider?.score ?? null, providerTrades: score.trades };
    const skip = (code: string) => {
      filtered[code] = (filtered[code] ?? 0) + 1;
      opts.trace?.({ ...traced, lot: 0, skipped: code });
    };

    let lot = t.volume.toNumber();
    let stopLoss = t.stopLoss?.toNumber() ?? null;
    if (policy.kind === "none") {
      if (account.riskState !== "ACTIVE") {
        skip(account.riskState === "HALTED" ? "SRM_ACCOUNT_HALTED" : "SRM_ACCOUNT_REDUCING");
        continue;
      }
    } else {
      const d = decide(
        { intent: intentOf(t), spec: inst.spec, quote: null, context: null, account: account.snapshot(), quoteToAccountRate: inst.quoteToAccountRate, provider, now: t.openTime },
        policy.models,
        policy.policy,
        policy.lotParams,
      );
      if (d.action !== "EXECUTE" || !d.lot.gt(0)) {
        skip(d.reasons.at(-1)?.code ?? "SRM_REJECTED");
        continue;
      }
      lot = d.lot.toNumber();
      stopLoss = d.stopLoss?.toNumber() ?? null;
    }
    const margin = lot * inst.spec.contractSize * t.openPrice.toNumber() * inst.spec.marginRate * inst.quoteToAccountRate;
    if (margin > account.freeMargin) {
      skip("BROKER_NOT_ENOUGH_MARGIN");
      continue;
    }
    account.open(margin);
    opts.trace?.({ ...traced, lot, skipped: null });
    const copy: OpenCopy = { trade: t, lot, stopLoss, margin };
    const at = open.findIndex((o) => o.trade.closeTime > t.closeTime);
    open.splice(at < 0 ? open.length : at, 0, copy);
    r.copied++;
    r.lots += lot;
    r.providerLots += t.volume.toNumber();
    if (lot < t.volume.toNumber()) r.reduced++;
    if (lot > t.volume.toNumber()) r.increased++;
    if (stopLoss !== null && stopLoss !== (t.stopLoss?.toNumber() ?? null)) r.buffered++;
  }
  settleUntil(Infinity);
  return resultOf(policy.name, h, account, r, filtered);
}

function providerSnapshot(state: ScoreState, at: number, params: ScoreParams): ProviderSnapshot {
  const s = scoreOf(state, at, params);
  return { score: s.score, tradeCount: state.trades, mature: s.mature };
}

function resultOf(
  name: string,
  h: ReplayHistory,
  account: ReplayAccount,
  r: { copied: number; reduced: number; increased: number; lots: number; providerLots: number; buffered: number; bufferedExits: number; net: number },
  filtered: Record<string, number>,
): ReplayResult {
  const count = (events: ProtectionEvent[]) => events.reduce<Record<string, number>>((m, e) => ({ ...m, [e.rule]: (m[e.rule] ?? 0) + 1 }), {});
  const stopOuts = account.events.filter((e) => e.rule !== "stop-loss-streak");
  return {
    policy: name,
    net_profit: round(r.net, 2),
    max_drawdown_pct: round(100 * account.curve.maxDrawdownFraction, 4),
    max_drawdown_money: round(account.curve.maxDrawdownMoney, 2),
    stop_outs: stopOuts.length,
    stop_outs_by: count(stopOuts),
    trades: r.copied,
    trades_filtered: h.trades.length - r.copied,
    filtered_by: filtered,
    lots_reduced: r.reduced,
    lots_increased: r.increased,
    lots_copied: round(r.lots, 4),
    provider_lots_of_copied: round(r.providerLots, 4),
    sl_buffered: r.buffered,
    sl_buffered_exits: r.bufferedExits,
    sl_streak_pauses: account.events.length - stopOuts.length,
    starting_balance: round(h.startingBalance, 2),
    final_balance: round(account.balance, 2),
    protection_events: account.events.slice(0, PROTECTION_EVENTS_SHOWN).map((e) => ({ at: new Date(e.at).toISOString(), rule: e.rule, text: e.text })),
  };
}
