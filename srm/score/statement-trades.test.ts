import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { netResult } from "./closed-trade.ts";
import { parseBrokerTime, parseStatementTrades } from "./statement-trades.ts";

const HEADER = "status,ticket,open_time,type,size,symbol,open_price,sl,tp,close_time,close_price,commission,taxes,swap,profit,close_reason,magic,comment";

describe("parseStatementTrades", () => {
  const csv = [
    HEADER,
    "closed,1,2024.01.02 10:00:00,buy,0.5,eurusd,1.10000,1.09500,1.11000,2024.01.02 12:30:15,1.09480,-3.5,0.0,-1.25,-260.0,sl,7,[sl]",
    "closed,2,2024.01.03 09:00:00,sell,1.0,xauusd@,2050.5,0.0,0.0,2024.01.03 09:05:00,2049.0,0.0,0.0,0.0,150.0,,,note, with a comma",
    "closed,3,2024.01.04 09:00:00,buy,2.0,gbpusd,1.27,0.0,0.0,2024.01.04 09:07:00,1.25,0.0,0.0,0.0,-4000.0,,,so: 48.0%/1000.0/480.0",
    "closed,4,2013.12.31 23:59:58,buy,0.01,profit,0.0,0.0,0.0,2013.12.31 23:59:59,0.0,-45.9,0.0,-0.13,-148.03,,,Summary trade result Q4 2013",
    "open,5,2024.01.05 09:00:00,buy,1.0,eurusd,1.1,0.0,0.0,,1.1010,0.0,0.0,0.0,100.0,,,",
    "closed,6,2024.01.05 09:00:00,balance,0,,0,0,0,2024.01.05 09:00:00,0,0,0,0,100,,,Deposit",
    "",
  ].join("\r\n");

  it("reads closed buy/sell rows with CRLF endings, skipping open, cash and aggregate rows", () => {
    const trades = parseStatementTrades(csv);
    expect(trades.map((t) => t.id)).toEqual(["1", "2", "3"]);
    expect(trades[0]).toEqual({
      id: "1",
      openTime: Date.UTC(2024, 0, 2, 10),
      closeTime: Date.UTC(2024, 0, 2, 12, 30, 15),
      profit: -260,
      costs: -4.75,
      volume: 0.5,
      symbol: "eurusd",
      side: "BUY",
      openPrice: 1.1,
      closePrice: 1.0948,
      stopLoss: 1.095,
      takeProfit: 1.11,
      closeReason: "SL",
    });
    expect(netResult(trades[0]!)).toBeCloseTo(-264.75, 9);
  });

  it("treats 0 as no SL/TP, keeps commas in comments, and spots stop-outs", () => {
    const [, gold, stopOut] = parseStatementTrades(csv);
    expect(gold).toMatchObject({ side: "SELL", closeReason: "UNKNOWN" });
    expect(gold).not.toHaveProperty("stopLoss");
    expect(gold).not.toHaveProperty("takeProfit");
    expect(stopOut?.closeReason).toBe("STOP_OUT");
  });

  it("names what is wrong with a malformed file", () => {
    expect(() => parseStatementTrades("status,ticket\r\nclosed,1")).toThrow(/missing columns open_time/);
    expect(() => parseStatementTrades(`${HEADER}\nclosed,1,2024.01.02 10:00:00,buy,x,eurusd,1,0,0,2024.01.02 11:00:00,1,0,0,0,1,,,`)).toThrow(
      /line 2: expected a number, got "x"/,
    );
    expect(() => parseBrokerTime("2024-01-02 10:00")).toThrow(/YYYY.MM.DD/);
  });
});

const PARSED = "trades/parsed";

describeIfData(hasSharedData(PARSED), "parseStatementTrades on the real MT4 statements", () => {
  const names = readdirSync(sharedDataPath(PARSED))
    .filter((f) => f.endsWith(".trades.csv"))
    .map((f) => f.replace(/\.trades\.csv$/, ""));

  it("reads every statement, and net results add up to MT4's own closed P/L", () => {
    expect(names.length).toBe(12);
    for (const name of names) {
      const trades = parseStatementTrades(readFileSync(sharedDataPath(PARSED, `${name}.trades.csv`), "utf8"));
      const summary = JSON.parse(readFileSync(sharedDataPath(PARSED, `${name}.summary.json`), "utf8")) as {
        n_trades_closed: number;
        summary: Record<string, string>;
      };
      if (name.startsWith("dyk42")) {
        // Alpari's 25 "Summary trade result" rows are aggregates, not trades, and are left out.
        expect(trades.length).toBe(summary.n_trades_closed - 25);
        continue;
      }
      expect(trades.length).toBe(summary.n_trades_closed);
      const printed = summary.summary["Total Net Profit"] ?? summary.summary["Closed Trade P/L"] ?? "";
      const mt4 = Number(printed.split(" (")[0]!.replace(/ /g, ""));
      const ours = trades.reduce((s, t) => s + netResult(t), 0);
      expect(Math.abs(ours - mt4), name).toBeLessThan(0.01);
    }
  });
});
