import { describe, expect, it } from "vitest";
import { copyOutcome } from "./copy-outcome.ts";
import { replayHistoryOf } from "./replay-history.ts";
import { aStatement, type RowSpec } from "./statement.builder.ts";

/** The replay trade built from one statement row. */
function tradeOf(row: RowSpec) {
  return replayHistoryOf(aStatement([row]), { startingBalance: 10_000 }).trades[0]!;
}

const PER_LOT = 100_000; // EURUSD in a USD account: 10 USD a pip per lot

describe("copyOutcome", () => {
  it("scales result, commission and swap by lot / provider lot", () => {
    const t = tradeOf({ ticket: "1", open: 1, close: 2, openPrice: "1.1000", closePrice: "1.1020", tp: "1.1020", profit: "200", commission: "-7", swap: "-1", reason: "TP" });
    expect(copyOutcome(t, 0.5, 1.0979, PER_LOT)).toEqual({ net: 96, bufferedExit: false });
    expect(copyOutcome(t, 2, null, PER_LOT).net).toBeCloseTo(384, 9);
  });

  it("re-prices a buy's stop-loss exit at the buffered stop, keeping the fill slippage the real stop got", () => {
    // SL 1.0980 filled at 1.0978 (2 pips of slippage) for −220; the copy's stop 1.0977 fills at 1.0975: −25 pips.
    const t = tradeOf({ ticket: "1", open: 1, close: 2, sl: "1.0980", closePrice: "1.0978", profit: "-220", commission: "-7", reason: "SL" });
    const out = copyOutcome(t, 0.5, 1.0977, PER_LOT);
    expect(out.bufferedExit).toBe(true);
    expect(out.net).toBeCloseTo(-25 * 10 * 0.5 - 3.5, 9);
  });

  it("re-prices a sell's stop-loss exit upwards", () => {
    // SL 1.1020 filled at 1.1021; the copy's stop 1.1023 fills at 1.1024: −24 pips on one lot.
    const t = tradeOf({ ticket: "1", open: 1, close: 2, type: "sell", sl: "1.1020", closePrice: "1.1021", profit: "-210", reason: "SL" });
    expect(copyOutcome(t, 1, 1.1023, PER_LOT).net).toBeCloseTo(-240, 9);
  });

  it("keeps the recorded result of trades that did not end at their stop, and of stops left unbuffered", () => {
    const manual = tradeOf({ ticket: "1", open: 1, close: 2, sl: "1.0980", closePrice: "1.0990", profit: "-100", reason: "UNKNOWN" });
    expect(copyOutcome(manual, 1, 1.0977, PER_LOT)).toEqual({ net: -100, bufferedExit: false });
    const stopped = tradeOf({ ticket: "2", open: 1, close: 2, sl: "1.0980", closePrice: "1.0980", profit: "-200", reason: "SL" });
    expect(copyOutcome(stopped, 1, 1.098, PER_LOT)).toEqual({ net: -200, bufferedExit: false });
  });

  it("falls back to the instrument's value per price unit when the trade closed at its open price", () => {
    // A stop at the open price (break-even stop) filled there: no move to infer money from.
    const t = tradeOf({ ticket: "1", open: 1, close: 2, sl: "1.0999", closePrice: "1.1000", profit: "0", reason: "SL" });
    expect(t.stopLoss?.toString()).toBe("1.0999");
    // slippage = 1.0999 − 1.1000 = −1 pip (a favourable fill); buffered stop 1.0998 → exit 1.0999: −1 pip.
    expect(copyOutcome(t, 1, 1.0998, PER_LOT).net).toBeCloseTo(-10, 9);
  });
});
