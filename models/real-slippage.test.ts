import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { hasSharedData, sharedDataPath, describeIfData } from "../test/kit/shared-data.ts";
import { columnsKey, globalQuantileBaseline, groupQuantileBaseline } from "./baselines.ts";
import { compareOnHoldout, formatHoldoutTable, type HoldoutComparison } from "./compare-on-holdout.ts";
import { createDataset, selectRows } from "./dataset.ts";
import { linearQuantileFamily } from "./linear-quantile/index.ts";
import type { Dataset } from "./model-family.ts";
import { mlpQuantileFamily } from "./mlp-quantile/index.ts";

const FILE = ["slippage", "derived_from_statements", "sl_tp_fill_slippage.csv"] as const;

/** Pip size per symbol; statement symbols carry broker suffixes ("eurgbpi", "nq100_m"). */
function pipSize(raw: string): number {
  const s = raw.toLowerCase().replace(/_m$/, "").replace(/^([a-z]{6})i$/, "$1");
  if (s.includes("jpy") || s === "xauusd" || s === "brn") return 0.01;
  if (s === "xagusd") return 0.001;
  if (/^[a-z]{6}$/.test(s)) return 0.0001;
  return 1; // Index CFDs (nq100, spx500, wst30): one index point.
}

const parseTime = (t: string): number => Date.parse(`${t.replaceAll(".", "-").replace(" ", "T")}Z`);

/**
 * A small generic dataset from the real SL/TP fills, ordered by close time: symbol one-hot (symbols with at
 * least 30 fills, the rest "other"), session (0 Asia, 1 London, 2 New York, 3 late), hour as sin/cos, SL vs TP,
 * buy vs sell, log lot size and log stop distance in pips. Target: adverse slippage in pips.
 */
function slippageDataset(): { ds: Dataset; accounts: string[]; symbolColumns: number[]; sessionColumn: number } {
  const [header, ...lines] = readFileSync(sharedDataPath(...FILE), "utf8").trim().split("\n");
  const cols = (header as string).split(",");
  const at = (name: string): number => cols.indexOf(name);
  const seen = new Set<string>();
  const fills = lines
    .map((l) => l.split(","))
    // The patrickingle_4xlots TP fills repeat fills of the demo statement under the same tickets.
    .filter((f) => {
      const key = `${f[at("ticket")]}|${f[at("close_time")]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => {
      const symbol = (f[at("symbol")] as string).toLowerCase();
      const pip = pipSize(symbol);
      return {
        symbol,
        account: f[at("statement")] as string,
        time: parseTime(f[at("close_time")] as string),
        isStop: f[at("close_reason")] === "sl" ? 1 : 0,
        isBuy: f[at("side")] === "buy" ? 1 : 0,
        size: Number(f[at("size")]),
        stopPips: Math.abs(Number(f[at("order_level")]) - Number(f[at("open_price")])) / pip,
        slippagePips: Number(f[at("slippage_price_units_adverse_positive")]) / pip,
      };
    })
    .sort((a, b) => a.time - b.time);
  const counts = new Map<string, number>();
  for (const f of fills) counts.set(f.symbol, (counts.get(f.symbol) ?? 0) + 1);
  const symbols = [...counts].filter(([, c]) => c >= 30).map(([s]) => s).sort();
  const names = [...symbols.map((s) => `symbol_${s}`), "symbol_other", "session", "hour_sin", "hour_cos", "is_stop", "is_buy", "log_size", "log_stop_pips"];
  const d = names.length;
  const X = new Float32Array(fills.length * d);
  fills.forEach((f, r) => {
    const row = X.subarray(r * d, (r + 1) * d);
    const k = symbols.indexOf(f.symbol);
    row[k >= 0 ? k : symbols.length] = 1;
    const hour = new Date(f.time).getUTCHours() + new Date(f.time).getUTCMinutes() / 60;
    row.set([hour < 7 ? 0 : hour < 13 ? 1 : hour < 21 ? 2 : 3, Math.sin((2 * Math.PI * hour) / 24), Math.cos((2 * Math.PI * hour) / 24), f.isStop, f.isBuy, Math.log10(f.size), Math.log1p(f.stopPips)], symbols.length + 1);
  });
  const ds = createDataset(X, Float32Array.from(fills, (f) => f.slippagePips), names);
  return { ds, accounts: fills.map((f) => f.account), symbolColumns: [...symbols.keys(), symbols.length], sessionColumn: symbols.length + 1 };
}

/** Splits time-ordered row indices per account: each account's first `fraction` of fills, then the rest. */
function splitPerAccount(rows: number[], accounts: string[], fraction: number): [number[], number[]] {
  const byAccount = new Map<string, number[]>();
  for (const r of rows) byAccount.set(accounts[r] as string, [...(byAccount.get(accounts[r] as string) ?? []), r]);
  const early: number[] = [];
  const late: number[] = [];
  for (const list of byAccount.values()) {
    const cut = Math.floor(list.length * fraction);
    early.push(...list.slice(0, cut));
    late.push(...list.slice(cut));
  }
  return [early.sort((a, b) => a - b), late.sort((a, b) => a - b)];
}

interface SplitResult {
  comparison: HoldoutComparison;
  holdoutAccounts: Map<string, number>;
  trainAccounts: Set<string>;
}

describeIfData(hasSharedData(...FILE), "slippage families on real SL/TP fills", () => {
  const results = new Map<string, SplitResult>();

  beforeAll(async () => {
    const { ds, accounts, symbolColumns, sessionColumn } = slippageDataset();
    const all = Array.from({ length: ds.n }, (_, i) => i);
    const globalCut = Math.floor(ds.n * 0.75);
    const splits: Record<string, [number[], number[]]> = {
      "global time cut": [all.slice(0, globalCut), all.slice(globalCut)],
      "per-account time cut": splitPerAccount(all, accounts, 0.75),
    };
    for (const [name, [trainRows, holdoutRows]] of Object.entries(splits)) {
      const train = selectRows(ds, trainRows);
      const holdout = selectRows(ds, holdoutRows);
      // The MLP stops early on each account's last fifth of training fills; the linear fit is convex and uses all.
      const [fitRows, validationRows] = splitPerAccount(trainRows, accounts, 0.8);
      const mlp = await mlpQuantileFamily.fit(selectRows(ds, fitRows), { seed: 42, validation: selectRows(ds, validationRows) });
      const linear = await linearQuantileFamily.fit(train, { seed: 42 });
      const comparison = compareOnHoldout(
        {
          "mlp-quantile": mlp.predictor,
          "linear-quantile": linear.predictor,
          "global quantiles": globalQuantileBaseline(train),
          "symbol+session quantiles": groupQuantileBaseline(train, columnsKey([...symbolColumns, sessionColumn]), { minGroupSize: 5 }),
        },
        holdout,
      );
      const holdoutAccounts = new Map<string, number>();
      for (const r of holdoutRows) holdoutAccounts.set(accounts[r] as string, (holdoutAccounts.get(accounts[r] as string) ?? 0) + 1);
      results.set(name, { comparison, holdoutAccounts, trainAccounts: new Set(trainRows.map((r) => accounts[r] as string)) });
      const zeros = holdout.y.filter((v) => v === 0).length;
      console.log(
        `Real SL/TP fills, ${name}: ${ds.n} distinct fills, ${train.n} train / ${holdout.n} hold-out (${((100 * zeros) / holdout.n).toFixed(1)}% zero slippage)\n${formatHoldoutTable(comparison)}\n`,
      );
    }
  });

  const p90 = (c: HoldoutComparison, name: string): number => {
    const row = c.rows.find((r) => r.name === name);
    return row?.pinball[row.labels.indexOf("p90")] as number;
  };

  it("the MLP and linear families do not lose to the baselines by more than a small margin on pinball p90", () => {
    const { comparison } = results.get("per-account time cut") as SplitResult;
    const bestBaseline = Math.min(p90(comparison, "global quantiles"), p90(comparison, "symbol+session quantiles"));
    for (const family of ["mlp-quantile", "linear-quantile"]) expect(p90(comparison, family)).toBeLessThanOrEqual(bestBaseline * 1.1);
  });

  it("the global time cut holds out mostly an account never seen in training, so it measures transfer, not fit", () => {
    // Fills from six accounts (2017–2026) are concatenated; the last quarter by time is almost all one demo/EA
    // account with zero slippage, which no symbol-conditioned model can anticipate. Reported, not gated.
    const { holdoutAccounts, trainAccounts } = results.get("global time cut") as SplitResult;
    const unseen = [...holdoutAccounts].filter(([a]) => !trainAccounts.has(a)).reduce((s, [, c]) => s + c, 0);
    const total = [...holdoutAccounts.values()].reduce((s, c) => s + c, 0);
    expect(unseen / total).toBeGreaterThan(0.9);
  });
});
