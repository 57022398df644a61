import { sessionAt } from "../../analysis/session/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { featuresFromExecution } from "../features/index.ts";
import { contextOfEach, noFillContext, type FillContextLookup } from "../statements/index.ts";
import type { SlippageRow } from "../training/slippage-rows.ts";
import type { FillRow } from "./fills-file.ts";

/** Evaluation rows with what was found for them beyond the file itself. */
export interface FillFeatureRows {
  rows: SlippageRow[];
  /** TP fills whose trade's stop loss was found among the stored closed trades (the file only has the TP level). */
  tpWithStopLoss: number;
  withMarketContext: number;
}

/**
 * Encodes fills exactly as an imported fill is encoded for training (`loadSlippageRows`): the execution-log
 * fields an import would store, passed through `featuresFromExecution`: session and day from the close time,
 * the market context where stored bars allow, the SL distance from the entry (for TP fills, from the stored
 * trade when one matches by ticket, symbol and entry price), no provider or account state.
 */
export async function fillFeatureRows(
  prisma: PrismaClient,
  fills: readonly FillRow[],
  pipSizeOf: (symbol: string) => number,
  context: FillContextLookup = noFillContext,
): Promise<FillFeatureRows> {
  const contexts = await contextOfEach(context, fills.map((f) => ({ symbol: f.symbol, time: f.closeTime })));
  const stops = await storedStops(prisma, fills.filter((f) => f.fill.kind === "TP_FILL"));

  let tpWithStopLoss = 0;
  const rows = fills.map((f, i): SlippageRow => {
    const pip = pipSizeOf(f.symbol);
    let sl: number | null = null;
    if (f.fill.kind === "SL_FILL") sl = f.fill.level.toNumber();
    else {
      sl = stops.get(`${f.ticket}|${f.symbol}|${f.openPrice.toFixed()}`) ?? null;
      if (sl !== null) tpWithStopLoss++;
    }
    const c = contexts[i]!;
    const features = featuresFromExecution({
      symbol: f.symbol,
      side: f.fill.side,
      kind: f.fill.kind,
      requestedAt: f.closeTime,
      pipSize: pip,
      marketAtr: c?.atr ?? null,
      volatilityIndex: c?.volatilityIndex ?? null,
      spread: c?.spread ?? null,
      tradingSession: sessionAt(f.closeTime).primary,
      requestedPrice: f.fill.level.toNumber(),
      slDistancePips: sl === null ? null : Math.abs(f.openPrice.toNumber() - sl) / pip,
      signalTime: null,
      volume: f.size.toNumber(),
      providerScore: null,
      providerTradeCount: 0,
      accountDrawdown: null,
    });
    return { at: f.closeTime, accountId: f.statement, features, slippagePips: f.slippagePips };
  });
  return { rows, tpWithStopLoss, withMarketContext: contexts.filter((c) => c !== null).length };
}

/** Stop losses of stored closed trades, keyed by ticket, symbol and entry price. */
async function storedStops(prisma: PrismaClient, fills: readonly FillRow[]): Promise<Map<string, number>> {
  const tickets = [...new Set(fills.map((f) => f.ticket))];
  const out = new Map<string, number>();
  for (let i = 0; i < tickets.length; i += 5000) {
    const trades = await prisma.closedTrade.findMany({
      where: { ticket: { in: tickets.slice(i, i + 5000) }, stopLoss: { not: null } },
      select: { ticket: true, symbol: true, openPrice: true, stopLoss: true },
    });
    for (const t of trades) out.set(`${t.ticket}|${t.symbol}|${t.openPrice.toFixed()}`, t.stopLoss!.toNumber());
  }
  return out;
}
