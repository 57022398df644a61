import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { conventionalPipSize } from "../../core/index.ts";
import { AuditLog, type PrismaClient } from "../../prisma/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { scoreHistory, scoreOf } from "../score/index.ts";
import type { FillContextLookup } from "./fill-context.ts";
import { importStatement, type ImportSummary } from "./import-statement.ts";
import { scoreTradeOf } from "./provider-score.ts";
import { readStatementFile } from "./read-statement-file.ts";
import type { ParsedStatement } from "./statement.ts";

const RAW = (stem: string) => sharedDataPath("trades", "_raw", `${stem}.htm.gz`);
const CSV = (stem: string) => sharedDataPath("trades", "parsed", `${stem}.trades.csv`);
const FILLS = ["slippage", "derived_from_statements", "sl_tp_fill_slippage.csv"] as const;
const DYK = "dyk42_projectgb_DetailedStatement";

/** The provider's score as scoring all of its trades from scratch gives it, in the import's close-time order. */
function scoreFromScratch(st: ParsedStatement): number {
  const trades = st.trades.map(scoreTradeOf).sort((a, b) => a.closeTime - b.closeTime || a.openTime - b.openTime);
  const state = scoreHistory(trades);
  return scoreOf(state, state.lastCloseTime!).score;
}

/** The client with `tx.executionLog.createMany` failing inside every transaction, as a full disk would. */
function failingFills(prisma: PrismaClient): PrismaClient {
  const bound = (target: object, key: string | symbol) => {
    const v = Reflect.get(target, key) as unknown;
    return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  };
  const tx = (inner: object) =>
    new Proxy(inner, {
      get: (t, key) =>
        key === "executionLog"
          ? new Proxy(Reflect.get(t, key) as object, { get: (d, k) => (k === "createMany" ? () => Promise.reject(new Error("simulated write failure")) : bound(d, k)) })
          : bound(t, key),
    });
  return new Proxy(prisma, {
    get: (t, key) =>
      key === "$transaction"
        ? (fn: (tx: unknown) => Promise<unknown>, opts: unknown) => t.$transaction((inner) => fn(tx(inner)), opts as never)
        : bound(t, key),
  });
}

describeIfData(hasSharedData("trades", "_raw", `${DYK}.htm.gz`) && hasSharedData(...FILLS), "importStatement on real statements", () => {
  describeEachDatabase("importStatement", (getDb) => {
    let prisma: PrismaClient;
    let audit: AuditLog;
    let adminId: string;
    let dyk: ParsedStatement;
    let first: ImportSummary;
    const count = async (providerId: string) => ({
      trades: await prisma.closedTrade.count({ where: { providerId } }),
      fills: await prisma.executionLog.count({ where: { clientOrderId: { startsWith: `stmt:${providerId}:` } } }),
    });

    beforeAll(async () => {
      prisma = getDb().prisma;
      audit = new AuditLog(prisma);
      adminId = (await prisma.user.create({ data: { email: "admin@example.test", passwordHash: "x", role: "ADMIN" } })).id;
      await prisma.user.create({ data: { email: "quant@example.test", passwordHash: "x", role: "QUANT" } });
      dyk = readStatementFile(RAW(DYK));
      first = await importStatement(prisma, audit, dyk);
    });

    it("creates the provider and its MT4 master account owned by the first admin, with every trade and SL/TP fill", async () => {
      const p = await prisma.signalProvider.findUniqueOrThrow({ where: { id: first.provider.id }, include: { masterAccount: true } });
      expect(p).toMatchObject({ source: "STATEMENT_IMPORT", name: "Alpari dyk42_projectgb_DetailedStatement", isDemo: false, ownerId: adminId, tradeCount: 2064 });
      expect(p.masterAccount).toMatchObject({ platform: "MT4", role: "MASTER", userId: adminId, broker: "Alpari", currency: "USD" });
      expect(await count(p.id)).toEqual({ trades: 2064, fills: 884 });
      expect(first.trades).toEqual({ read: 2064, imported: 2064, alreadyPresent: 0 });
      expect(first.skipped).toEqual({ aggregate: 25, open: 3, cancelled: 8, working: 1, cashflow: 126 });
      expect(first.fills).toMatchObject({ sl: 870, tp: 14, imported: 884, withoutLevel: 0 });
      expect(first.reconciliation).toEqual({ statementNet: "-1782.78", tradesNet: "-383.79", aggregatesNet: "-1398.99", matches: true });
      expect(p.firstTradeAt?.toISOString()).toBe("2023-03-31T11:49:52.000Z");
    });

    it("stores each fill as published in sl_tp_fill_slippage.csv: level, fill price and slippage in pips", async () => {
      const [head, ...lines] = readFileSync(sharedDataPath(...FILLS), "utf8").trim().split(/\r?\n/);
      const cols = head!.split(",");
      const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])) as Record<string, string>).filter((r) => r.statement === DYK);
      const logs = new Map(
        (await prisma.executionLog.findMany({ where: { accountId: first.accountId, origin: "STATEMENT" } })).map((l) => [l.brokerOrderId!, l]),
      );
      expect(rows).toHaveLength(884);
      for (const r of rows) {
        const log = logs.get(r.ticket!)!;
        expect(log.clientOrderId).toBe(`stmt:${first.provider.id}:${r.ticket}`);
        expect(log).toMatchObject({ kind: r.close_reason === "sl" ? "SL_FILL" : "TP_FILL", side: r.side === "buy" ? "SELL" : "BUY", status: "FILLED" });
        expect(log.requestedPrice!.toNumber()).toBe(Number(r.order_level));
        expect(log.filledPrice!.toNumber()).toBe(Number(r.close_price));
        expect(log.slippagePips).toBeCloseTo(Number(r.slippage_price_units_adverse_positive) / conventionalPipSize(log.symbol), 9);
        expect(log.tradingSession).not.toBeNull();
        expect(log.dayOfWeek).toBe(log.requestedAt.getUTCDay());
      }
      expect(logs.get("1522109823")!.slippagePips).toBe(0.1); // usdchf 0.91692 → 0.91691: 0.1 pip
      expect(logs.get("1522129129")!.slippagePips).toBe(0.1); // usdjpy 132.823 → 132.822
      expect(logs.get("1522088214")!.slippagePips).toBe(1); // xauusd 1954.07 → 1954.06
      expect(logs.get("1522023834")!.slippagePips).toBe(-0.1); // spx500_m TP 4131.7 filled at 4131.8: improved by 0.1 point
    });

    it("folds the score to what scoring the statement's trades from scratch gives", async () => {
      const p = await prisma.signalProvider.findUniqueOrThrow({ where: { id: first.provider.id } });
      expect(p.score).toBe(scoreFromScratch(dyk));
      expect(p.lastTradeAt?.toISOString()).toBe(first.score.asOf);
    });

    it("adds nothing when the same statement is imported again, as HTML or as its parsed CSV", async () => {
      const before = await prisma.signalProvider.findUniqueOrThrow({ where: { id: first.provider.id } });
      const again = await importStatement(prisma, audit, readStatementFile(RAW(DYK)));
      const csv = await importStatement(prisma, audit, readStatementFile(CSV(DYK)));
      for (const s of [again, csv]) {
        expect(s.provider).toMatchObject({ id: first.provider.id, created: false });
        expect(s.trades.imported).toBe(0);
        expect(s.fills.imported).toBe(0);
        expect(s.score.update).toBe("unchanged");
      }
      expect(await count(first.provider.id)).toEqual({ trades: 2064, fills: 884 });
      const after = await prisma.signalProvider.findUniqueOrThrow({ where: { id: first.provider.id } });
      expect([after.score, after.tradeCount, after.scoreState]).toEqual([before.score, before.tradeCount, before.scoreState]);
      expect(await prisma.brokerAccount.count()).toBe(1);
    });

    it("flags an EA account whose 213 SL fills never slipped as probably demo, and honours --owner", async () => {
      const s = await importStatement(prisma, audit, readStatementFile(CSV("sujayjamdade01_DetailedStatement")), { ownerEmail: "Quant@Example.test" });
      expect(s.provider.isDemo).toBe(true);
      expect(s.provider.demoReasons).toEqual(["all 213 SL fills filled exactly at their stop level (zero slippage); live stops slip now and then"]);
      expect(s.fills.nonZeroShare).toBe(0);
      const account = await prisma.brokerAccount.findUniqueOrThrow({ where: { id: s.accountId }, include: { user: true } });
      expect(account.user.email).toBe("quant@example.test");
      await expect(importStatement(prisma, audit, dyk, { name: "x", ownerEmail: "nobody@example.test" })).rejects.toThrow(/user nobody@example.test not found/);
    });

    it("rebuilds the score from stored trades when an import brings trades older than the last one folded", async () => {
      const demo = readStatementFile(RAW("patrickingle_4xlots_demo_DetailedStatement"));
      const cut = demo.trades.map((t) => t.closeTime).sort((a, b) => a - b)[150]!;
      const late = await importStatement(prisma, audit, { ...demo, trades: demo.trades.filter((t) => t.closeTime > cut) }, { name: "patrick" });
      expect(late.score.update).toBe("incremental");
      const full = await importStatement(prisma, audit, demo, { name: "patrick" });
      expect(full.score.update).toBe("rebuilt");
      expect(full.trades.imported + late.trades.imported).toBe(250);
      expect(full.score.score).toBe(scoreFromScratch(demo));
      // The other statement of the same account (TW Corp. 535110) holds 112 of these trades: none is added twice.
      const short = readStatementFile(RAW("patrickingle_4xlots_DetailedStatement"));
      const merged = await importStatement(prisma, audit, short, { name: "patrick" });
      expect(merged.trades).toEqual({ read: 112, imported: 0, alreadyPresent: 112 });
    });

    it("stores the market context where bars exist and only session and day of week elsewhere", async () => {
      const st = readStatementFile(CSV("cajamarilla_heikenashi_DetailedStatement"));
      const context: FillContextLookup = async (symbol, times) => times.map(() => (symbol === "EURUSD" ? { atr: 0.0012, volatilityIndex: 0.4, spread: 0.00015 } : null));
      const s = await importStatement(prisma, audit, st, { name: "with context", context });
      const logs = await prisma.executionLog.findMany({ where: { accountId: s.accountId } });
      const eur = logs.filter((l) => l.symbol === "EURUSD");
      expect(eur.length).toBe(s.fills.withMarketContext);
      expect(eur.length).toBeGreaterThan(0);
      for (const l of eur) expect([l.marketAtr, l.volatilityIndex, l.spread?.toNumber()]).toEqual([0.0012, 0.4, 0.00015]);
      for (const l of logs.filter((x) => x.symbol !== "EURUSD")) expect([l.marketAtr, l.volatilityIndex, l.spread, l.tradingSession === null]).toEqual([null, null, null, false]);
    });

    it("commits nothing from a file with a bad row", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "riskloop-import-"));
      const file = path.join(dir, "broken.trades.csv");
      const lines = readFileSync(CSV("mamolas_dr_DetailedStatement"), "utf8").split("\r\n");
      lines[4000] = lines[4000]!.replace(/,xauusd,[\d.]+,/, ",xauusd,3346.4.8,");
      writeFileSync(file, lines.join("\r\n"));
      const providers = await prisma.signalProvider.count();
      try {
        expect(() => readStatementFile(file)).toThrow(/broken\.trades\.csv:4001: open_price is not a number: "3346\.4\.8"/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      expect(await prisma.signalProvider.count()).toBe(providers);
    });

    it("commits nothing when the database fails part-way through the import", async () => {
      const counts = async () => [await prisma.signalProvider.count(), await prisma.brokerAccount.count(), await prisma.closedTrade.count(), await prisma.executionLog.count()];
      const before = await counts();
      const st = readStatementFile(RAW("cajamarilla_heikenashi_DetailedStatement"));
      await expect(importStatement(failingFills(prisma), audit, st)).rejects.toThrow(/simulated write failure/);
      expect(await counts()).toEqual(before);
      const ok = await importStatement(prisma, audit, st);
      expect([ok.trades.imported, ok.fills.imported, ok.provider.isDemo]).toEqual([23, 15, true]);
    });
  });
});
