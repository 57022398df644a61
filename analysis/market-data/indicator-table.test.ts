import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { INDICATOR_COLUMNS, writeIndicatorCsv, type IndicatorColumn } from "./indicator-table.ts";
import { readBarFile } from "./market-file.ts";
import { tempPath } from "./write-sample.ts";

const GOLDEN = ["indicators", "talib_golden_fx", "talib060_eurusd_h1.csv.gz"] as const;

/** Our column names → the golden file's (TA-Lib 0.6.0 names with their parameters). */
const GOLDEN_NAME: Record<IndicatorColumn, string> = {
  SMA_20: "SMA_20",
  EMA_20: "EMA_20",
  RSI_14: "RSI_14",
  ATR_14: "ATR_14",
  NATR_14: "NATR_14",
  MACD: "MACD_12_26_9",
  MACD_SIGNAL: "MACD_SIGNAL_12_26_9",
  MACD_HIST: "MACD_HIST_12_26_9",
  BB_UPPER: "BB_UPPER_20_2",
  BB_MIDDLE: "BB_MIDDLE_20_2",
  BB_LOWER: "BB_LOWER_20_2",
  ADX_14: "ADX_14",
  STOCH_K: "STOCH_SLOWK_14_3_3",
  STOCH_D: "STOCH_SLOWD_14_3_3",
};

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const raw = readFileSync(file);
  const lines = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8").trim().split("\n");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}

describeIfData(hasSharedData(...GOLDEN), "indicator CSV against TA-Lib 0.6.0's golden file (EURUSD H1, 3,000 bars)", () => {
  it("writes every bar with each indicator equal to 1e-9, empty exactly where TA-Lib has no value", async () => {
    const golden = readCsv(sharedDataPath(...GOLDEN));
    const { bars } = await readBarFile(sharedDataPath(...GOLDEN));
    const out = tempPath("out.csv");
    expect(await writeIndicatorCsv(bars, out)).toBe(3000);
    const ours = readCsv(out);
    expect(ours.header).toEqual(["time", "open", "high", "low", "close", "volume", ...INDICATOR_COLUMNS]);
    expect(ours.rows.length).toBe(golden.rows.length);
    for (const name of INDICATOR_COLUMNS) {
      const a = ours.header.indexOf(name);
      const b = golden.header.indexOf(GOLDEN_NAME[name]);
      expect(b, `golden column for ${name}`).toBeGreaterThan(0);
      let empty = 0;
      ours.rows.forEach((row, i) => {
        const mine = row[a]!;
        const theirs = golden.rows[i]![b]!;
        if (theirs === "" || mine === "") {
          expect(mine, `${name} row ${i}`).toBe(theirs);
          empty++;
          return;
        }
        const x = Number(mine);
        const y = Number(theirs);
        expect(Math.abs(x - y), `${name} row ${i}: ${x} vs ${y}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
      });
      const warmUp = { SMA_20: 19, EMA_20: 19, RSI_14: 14, ATR_14: 14, NATR_14: 14, MACD: 33, MACD_SIGNAL: 33, MACD_HIST: 33, BB_UPPER: 19, BB_MIDDLE: 19, BB_LOWER: 19, ADX_14: 27, STOCH_K: 17, STOCH_D: 17 }[name];
      expect(empty, `${name} warm-up`).toBe(warmUp);
    }
    expect(ours.rows[0]!.slice(1, 5).map(Number)).toEqual(golden.rows[0]!.slice(1, 5).map(Number));
  });
});
