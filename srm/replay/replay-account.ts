import { dec } from "../../core/index.ts";
import type { AccountSnapshot } from "../decision/decide.ts";
import { BalanceCurve } from "../provider-metrics/index.ts";
import {
  ACTIVE_STATUS,
  RISK_WINDOWS,
  actionRank,
  nextTradingDayStart,
  resetRiskState,
  stepRiskState,
  windowPeriod,
  type RiskRule,
  type RiskStatus,
  type RiskWindow,
  type WindowBaseline,
} from "../risk/index.ts";

/** An account protection event: a risk rule reaching its limit, or the broker's stop-out. */
export interface ProtectionEvent {
  at: number;
  /** The rule's id (`daily-loss-limit`, `emergency-stop`, `stop-loss-streak`, a period limit) or `broker-stop-out`. */
  rule: string;
  text: string;
}

/** The follower account's protection during a replay. */
export interface ProtectionSettings {
  rules: readonly RiskRule[];
  /** Margin level (equity / used margin) at or below which the broker stops the account out; null: no broker margin at all. */
  stopOutLevel: number | null;
  /** Reset a HALTED account at the next trading day (17:00 New York), as a person would; otherwise it stays halted. */
  resetNextDay: boolean;
}

interface Baseline {
  start: number;
  balance: number;
}

/**
 * The follower's account during a replay. Statements have no prices between a trade's open and close, so open
 * positions are carried at zero profit: equity equals the balance and moves only when trades close, the same
 * closed-trade curve MT4's own drawdown figures use. The account runs the risk rules the live monitor runs
 * (window baselines, high-water mark, stop-loss run, the same state machine) and watches the broker's stop-out
 * level on margin. Cash flows shift the high-water mark and every window baseline, so that a withdrawal is not
 * taken for a loss. Once the broker stops it out, the account opens nothing for the rest of the replay; a risk
 * halt (emergency stop, HALT limits) lasts until a manual reset, which `resetNextDay` performs at the next trading
 * day, re-baselining windows and high-water mark as the live monitor's reset does.
 */
export class ReplayAccount {
  readonly curve: BalanceCurve;
  readonly events: ProtectionEvent[] = [];
  #usedMargin = 0;
  #status: RiskStatus = ACTIVE_STATUS;
  #stoppedOut = false;
  #haltedAt: number | null = null;
  #trackingStart: number;
  #windows: Record<RiskWindow, Baseline>;
  /** The balance at the previous event: a window that rolls starts from it (equity is the balance here). */
  #lastBalance: number;
  #highWaterMark: number;
  #stopLossRun: number[] = [];
  readonly #recorded = new Set<string>();

  constructor(
    startingBalance: number,
    start: number,
    private readonly protection: ProtectionSettings,
  ) {
    this.curve = new BalanceCurve(startingBalance);
    this.#trackingStart = start;
    this.#lastBalance = startingBalance;
    this.#highWaterMark = startingBalance;
    this.#windows = this.#freshWindows(start);
  }

  #freshWindows(at: number): Record<RiskWindow, Baseline> {
    const start = (w: RiskWindow) => windowPeriod(w, at, this.#trackingStart).start;
    return Object.fromEntries(RISK_WINDOWS.map((w) => [w, { start: start(w), balance: this.#lastBalance }])) as Record<RiskWindow, Baseline>;
  }

  get balance(): number {
    return this.curve.balance;
  }

  /** Balance less the margin of open copies; unlimited when the replay models no broker margin. */
  get freeMargin(): number {
    return this.protection.stopOutLevel === null ? Number.POSITIVE_INFINITY : this.balance - this.#usedMargin;
  }

  /** The state a new trade meets: the risk state machine's, or HALTED for good after a broker stop-out. */
  get riskState(): RiskStatus["state"] {
    return this.#stoppedOut ? "HALTED" : this.#status.state;
  }

  /** What `decide` sees: equity is the balance (positions carried at zero profit), free margin after open positions. */
  snapshot(): AccountSnapshot {
    return {
      balance: dec(this.balance),
      equity: dec(this.balance),
      freeMargin: dec(this.freeMargin),
      riskState: this.riskState,
      dayStartBalance: dec(this.#windows.day.balance),
      equityHighWaterMark: dec(this.#highWaterMark),
    };
  }

  /** Moves the clock to `at`: windows whose period changed restart from the values seen last, and rules are re-read (holds expire). */
  advance(at: number): void {
    if (this.#status.state === "HALTED" && this.protection.resetNextDay && this.#haltedAt !== null && at >= nextTradingDayStart(this.#haltedAt)) {
      this.#trackingStart = at;
      this.#windows = this.#freshWindows(at);
      this.#highWaterMark = this.balance;
      this.#stopLossRun = [];
      this.#status = resetRiskState(this.#status, at).status;
      this.#haltedAt = null;
    }
    for (const w of RISK_WINDOWS) {
      const start = windowPeriod(w, at, this.#trackingStart).start;
      if (start !== this.#windows[w].start) this.#windows[w] = { start, balance: this.#lastBalance };
    }
    this.#evaluate(at);
  }

  open(margin: number): void {
    this.#usedMargin += margin;
  }

  /** A position closed with `net` (account currency); a stop-loss exit extends the run the streak guard counts. */
  close(at: number, margin: number, net: number, stopLossExit: boolean): void {
    this.#usedMargin -= margin;
    this.curve.pnl(net);
    this.#stopLossRun = stopLossExit ? [...this.#stopLossRun, at] : [];
    this.#evaluate(at);
  }

  cashflow(at: number, amount: number): void {
    this.curve.cashflow(amount);
    this.#highWaterMark += amount;
    for (const w of RISK_WINDOWS) this.#windows[w] = { ...this.#windows[w], balance: this.#windows[w].balance + amount };
    this.#lastBalance += amount;
    this.#evaluate(at);
  }

  #evaluate(at: number): void {
    const balance = dec(this.balance);
    this.#highWaterMark = Math.max(this.#highWaterMark, this.balance);
    const windows = Object.fromEntries(
      RISK_WINDOWS.map((w): [RiskWindow, WindowBaseline] => {
        const b = this.#windows[w];
        return [w, { start: b.start, end: windowPeriod(w, at, this.#trackingStart).end, balance: dec(b.balance), equity: dec(b.balance) }];
      }),
    ) as Record<RiskWindow, WindowBaseline>;
    const verdicts = this.protection.rules.map((r) =>
      r.evaluate({
        accountId: "replay",
        now: at,
        balance,
        equity: balance,
        openProfit: dec(0),
        equityHighWaterMark: dec(this.#highWaterMark),
        trackingStart: this.#trackingStart,
        windows,
        recentTrades: { stopLossRun: this.#stopLossRun },
      }),
    );
    for (const v of verdicts) {
      const key = `${v.rule}|${v.since}`;
      if (actionRank(v.action) < actionRank("REDUCE") || this.#recorded.has(key)) continue;
      this.#recorded.add(key);
      this.events.push({ at, rule: v.rule, text: v.text });
    }
    const step = stepRiskState(this.#status, verdicts, at);
    if (step.transition?.to === "HALTED") this.#haltedAt = at;
    this.#status = step.status;
    const level = this.protection.stopOutLevel;
    if (level !== null && !this.#stoppedOut && (this.balance <= 0 || (this.#usedMargin > 0 && this.balance / this.#usedMargin <= level))) {
      this.#stoppedOut = true;
      const shown = this.#usedMargin > 0 ? `${((100 * this.balance) / this.#usedMargin).toFixed(1)}%` : "n/a";
      this.events.push({ at, rule: "broker-stop-out", text: `broker stop-out: equity ${this.balance.toFixed(2)}, margin level ${shown} at or below ${100 * level}%` });
    }
    this.#lastBalance = this.balance;
  }
}
