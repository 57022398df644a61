import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { DEMO_MIN_SL_FILLS, demoVerdict, exitFillOf, type ExitFill, type ExitSource } from "./exit-fill.ts";
import { readStatementFile } from "./read-statement-file.ts";
import { canonicalSymbol } from "./statement-symbol.ts";

const exit = (o: Partial<Omit<ExitSource, "sl" | "tp" | "closePrice">> & { sl?: string; tp?: string; closePrice: string }): ExitFill | null =>
  exitFillOf({ type: "buy", symbol: "eurusd", closeReason: "SL", ...o, sl: dec(o.sl ?? "0"), tp: dec(o.tp ?? "0"), closePrice: dec(o.closePrice) });

describe("exitFillOf", () => {
  it("measures slippage adverse-positive in the symbol's pips, with the closing order's side", () => {
    expect(exit({ sl: "1.09800", closePrice: "1.09790" })).toMatchObject({ kind: "SL_FILL", side: "SELL", slippagePips: 1, pipSize: 0.0001 });
    expect(exit({ type: "sell", sl: "1.10200", closePrice: "1.10215" })).toMatchObject({ side: "BUY", slippagePips: 1.5 });
    expect(exit({ closeReason: "TP", tp: "1.10500", closePrice: "1.10503" })).toMatchObject({ kind: "TP_FILL", slippagePips: -0.3 });
    expect(exit({ symbol: "usdjpy", sl: "150.000", closePrice: "149.990" })?.slippagePips).toBe(1);
    expect(exit({ symbol: "xauusd@", type: "sell", sl: "3822.48", closePrice: "3824.06" })?.slippagePips).toBe(158);
    expect(exit({ symbol: "xagusd", sl: "24.500", closePrice: "24.497" })?.slippagePips).toBe(3);
    expect(exit({ symbol: "nq100_m", sl: "15000.5", closePrice: "14999.5" })?.slippagePips).toBe(1);
  });

  it("gives no fill for unlabelled exits or a missing level", () => {
    expect(exit({ closeReason: "UNKNOWN", sl: "1.098", closePrice: "1.0979" })).toBeNull();
    expect(exit({ closeReason: "SL", sl: "0", closePrice: "1.0979" })).toBeNull();
  });
});

describe("canonicalSymbol", () => {
  it.each([
    ["eurusd-2", "EURUSD"],
    ["xauusd@", "XAUUSD"],
    ["eurgbpi", "EURGBP"],
    ["nq100_m", "NQ100"],
    ["wticash", "WTICASH"],
    ["nas100usd-2", "NAS100USD"],
    ["usdnok", "USDNOK"],
  ])("%s → %s", (raw, canonical) => expect(canonicalSymbol(raw)).toBe(canonical));
});

describe("demoVerdict", () => {
  const header = { broker: "Broker", account: "1", currency: "USD", leverage: "" };
  const sl = (pips: number): ExitFill => ({ kind: "SL_FILL", side: "SELL", level: dec(1), fill: dec(1), pipSize: 0.0001, slippagePips: pips });

  it("flags a statement whose SL fills, at least DEMO_MIN_SL_FILLS of them, never slipped", () => {
    expect(demoVerdict(header, Array.from({ length: DEMO_MIN_SL_FILLS }, () => sl(0))).probablyDemo).toBe(true);
    expect(demoVerdict(header, Array.from({ length: DEMO_MIN_SL_FILLS - 1 }, () => sl(0))).probablyDemo).toBe(false);
    expect(demoVerdict(header, [...Array.from({ length: 50 }, () => sl(0)), sl(0.1)]).probablyDemo).toBe(false);
  });

  it("flags a header that names a demo account", () => {
    const v = demoVerdict({ ...header, broker: "Cuenta de demostración" }, []);
    expect(v).toEqual({ probablyDemo: true, reasons: ['the statement header says "Cuenta de demostración"'] });
  });
});

const FILLS = ["slippage", "derived_from_statements", "sl_tp_fill_slippage.csv"] as const;
const OVERVIEW = ["trades", "statements_overview.csv"] as const;

describeIfData(hasSharedData(...FILLS) && hasSharedData(...OVERVIEW), "exit fills of the real statements", () => {
  const table = (parts: readonly string[]) => {
    const [head, ...lines] = readFileSync(sharedDataPath(...parts), "utf8").trim().split(/\r?\n/);
    const cols = head!.split(",");
    return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])) as Record<string, string>);
  };
  const published = table(FILLS);
  const statements = [...new Set(published.map((r) => r.statement!))];
  const fills = new Map(
    statements.map((name) => {
      const st = readStatementFile(sharedDataPath("trades", "_raw", `${name}.htm.gz`));
      return [name, { st, byTicket: new Map(st.trades.map((t) => [t.ticket, exitFillOf(t)])) }];
    }),
  );

  it("reproduce every published SL/TP fill's slippage (1,797 rows), converted to pips", () => {
    let checked = 0;
    for (const row of published) {
      const fill = fills.get(row.statement!)!.byTicket.get(row.ticket!);
      expect(fill, `${row.statement} ${row.ticket}`).toBeTruthy();
      expect(fill!.kind).toBe(row.close_reason === "sl" ? "SL_FILL" : "TP_FILL");
      expect(fill!.level.eq(dec(row.order_level!))).toBe(true);
      expect(fill!.slippagePips).toBeCloseTo(Number(row.slippage_price_units_adverse_positive) / fill!.pipSize, 6);
      checked++;
    }
    expect(checked).toBe(1797);
  });

  it("find as many SL/TP exits, and slipped SL exits, as the overview lists, and flag only the zero-slippage EA account as demo", () => {
    const overview = new Map(table(OVERVIEW).map((r) => [r.statement!, r]));
    for (const [name, { st, byTicket }] of fills) {
      const all = [...byTicket.values()].filter((f): f is ExitFill => f !== null);
      const sl = all.filter((f) => f.kind === "SL_FILL");
      const o = overview.get(name)!;
      expect([sl.length, all.length - sl.length, sl.filter((f) => f.slippagePips !== 0).length]).toEqual([
        Number(o.sl_closes),
        Number(o.tp_closes),
        Number(o.sl_closes_with_nonzero_slippage),
      ]);
      const demo = demoVerdict(st.header, all);
      const expected = name === "sujayjamdade01_DetailedStatement" || name === "cajamarilla_heikenashi_DetailedStatement";
      expect(demo.probablyDemo, name).toBe(expected);
    }
  });
});
