import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFillsFile } from "./fills-file.ts";

const HEADER = "statement,broker,account_currency,ticket,symbol,side,size,open_time,close_time,close_reason,order_level,close_price,slippage_price_units_adverse_positive,open_price,profit";
const dir = mkdtempSync(path.join(tmpdir(), "riskloop-fills-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]) => {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join("\r\n"));
  return p;
};

describe("readFillsFile", () => {
  const rows = [
    "a,B,USD,1,xauusd,buy,1.0,2025.09.30 16:37:24,2025.09.30 17:00:07,sl,3822.48,3820.9,1.58,3819.05,185.0",
    "a,B,USD,2,usdjpy,sell,0.02,2023.04.03 15:13:22,2023.04.03 16:49:23,tp,132.5,132.49,-0.01,133.011,2.85",
    "b,B,USD,1,xauusd,buy,1.0,2025.09.30 16:37:24,2025.09.30 17:00:07,sl,3822.48,3820.9,1.58,3819.05,185.0",
    "a,B,USD,3,eurusd,buy,0.1,2024.01.02 10:00:00,2024.01.02 11:00:00,sl,1.09,1.0899,0.0002,1.095,-5",
  ];

  it("converts slippage to pips, keeps a fill listed twice once, and counts rows that contradict their prices", () => {
    const f = readFillsFile(file("fills.csv", [HEADER, ...rows, ""]), { tz: "+03:00" });
    expect([f.read, f.duplicates, f.rows.length, f.inconsistent]).toEqual([4, 1, 3, 1]);
    expect(f.rows.map((r) => [r.symbol, r.fill.kind, r.fill.side, r.slippagePips])).toEqual([
      ["XAUUSD", "SL_FILL", "SELL", 158],
      ["USDJPY", "TP_FILL", "BUY", -1],
      ["EURUSD", "SL_FILL", "SELL", 2],
    ]);
    expect(f.rows[0]!.closeTime).toBe(Date.UTC(2025, 8, 30, 14, 0, 7));
  });

  it("names the line of a bad row and the missing columns of a wrong file", () => {
    expect(() => readFillsFile(file("bad.csv", [HEADER, rows[0]!, rows[1]!.replace(",tp,", ",be,")]))).toThrow(/bad\.csv:3: close_reason is neither sl nor tp: "be"/);
    expect(() => readFillsFile(file("zero.csv", [HEADER, rows[0]!.replace("3822.48", "0")]))).toThrow(/zero\.csv:2: order_level is 0/);
    expect(() => readFillsFile(file("other.csv", ["a,b,c", "1,2,3"]))).toThrow(/other\.csv:1: not a fills file: missing columns statement, ticket/);
  });
});
