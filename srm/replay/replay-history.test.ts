import { describe, expect, it } from "vitest";
import { Decimal } from "../../core/index.ts";
import { armOverrides } from "./replay-policy.ts";
import { replayHistoryOf } from "./replay-history.ts";
import { aRow, aStatement, HOUR, REPLAY_DAY, type RowSpec } from "./statement.builder.ts";

const rows: RowSpec[] = [
  { ticket: "2", open: 12, close: 13, type: "sell", sl: "1.1020", closePrice: "1.1010", profit: "-10", size: "0.1" },
  { ticket: "1", open: 10, close: 11, sl: "1.1005", closePrice: "1.1010", profit: "10", size: "0.1" }, // a stop trailed into profit
  { ticket: "3", open: 10, close: 11, symbol: "xauusd@", openPrice: "2000.00", closePrice: "2001.50", profit: "15", size: "0.1" },
];
const cash = (hours: number, amount: number) => ({ ticket: "c", line: 0, time: REPLAY_DAY + hours * HOUR, comment: "", amount: new Decimal(amount) });

describe("replayHistoryOf", () => {
  it("orders trades by open time, keeps only protective stops, and derives each symbol's specification", () => {
    const h = replayHistoryOf(aStatement(rows), { startingBalance: 500 });
    expect(h.trades.map((t) => t.ticket)).toEqual(["1", "3", "2"]);
    expect(h.trades[0]!.stopLoss).toBeUndefined();
    expect(h.trades[2]!.stopLoss?.toString()).toBe("1.102");
    expect(h.trades[1]!.symbol).toBe("XAUUSD");
    expect(h.instruments.EURUSD).toMatchObject({ spec: { contractSize: 100_000, pipSize: 0.0001, digits: 4, marginRate: 0.001 }, quoteToAccountRate: 1 });
    expect(h.instruments.XAUUSD).toMatchObject({ spec: { contractSize: 100, pipSize: 0.01, digits: 2 }, quoteToAccountRate: 1 });
    expect(h.instruments.EURUSD!.spec.volumeStep.toString()).toBe("0.01");
    expect(h).toMatchObject({ startingBalance: 500, startingBalanceSource: "option", leverage: 1000, leverageSource: "statement" });
  });

  it("finds the starting balance: the opening balance from the summary plus cash flows and aggregates before the first trade", () => {
    const summary = { Balance: "1 300.00", "Closed Trade P/L": "15.00", "Deposit/Withdrawal": "285.00" };
    const aggregate = aRow({ ticket: "a", open: -50, close: -49, symbol: "profit", openPrice: "0", closePrice: "0", profit: "-20" });
    const st = aStatement(rows, { summary, cashflows: [cash(5, 300), cash(11.5, -15)], aggregates: [aggregate] });
    // 1300 − 15 − 285 = 1000 before the statement; +300 deposited at 05:00; −20 of aggregated results.
    const h = replayHistoryOf(st);
    expect(h).toMatchObject({ startingBalance: 1280, startingBalanceSource: "statement", cashflows: [{ at: REPLAY_DAY + 11.5 * HOUR, amount: -15 }] });
    expect(() => replayHistoryOf(aStatement(rows))).toThrow(/no positive starting balance.*--balance/);
  });

  it("takes the lowest usual leverage the provider's own positions needed when the header prints none", () => {
    const st = aStatement(rows, { header: { broker: "", account: "", currency: "USD", leverage: "" } });
    // At 10:00 0.1 lot EURUSD (11 000) and 0.1 lot gold (20 000) open on a balance of 100: 310× → 1:400.
    expect(replayHistoryOf(st, { startingBalance: 100 })).toMatchObject({ leverage: 400, leverageSource: "implied" });
    expect(replayHistoryOf(st, { startingBalance: 100, leverage: 50 })).toMatchObject({ leverage: 50, leverageSource: "option" });
  });
});

describe("armOverrides", () => {
  it("reads an arm's shape or bare policy settings, naming the field of a bad one", () => {
    expect(armOverrides({ slBufferMinPips: 2.5 })).toEqual({ policy: { slBufferMinPips: 2.5 }, modelVersions: {} });
    expect(armOverrides({ policy: { maxSlippageP90Pips: 3 }, modelVersions: { slippage: "v1" } })).toEqual({ policy: { maxSlippageP90Pips: 3 }, modelVersions: { slippage: "v1" } });
    expect(() => armOverrides({ maxLotz: 2 })).toThrow(/overrides.policy: unknown policy setting maxLotz/);
    expect(() => armOverrides({ policy: {}, extra: 1 })).toThrow(/overrides.extra/);
    expect(() => armOverrides({ modelVersions: { slippage: 7 } })).toThrow(/overrides.modelVersions.slippage/);
    expect(() => armOverrides([1])).toThrow(/overrides/);
  });
});
