import { CoreErrors, RiskloopError, dec, invalid, type SymbolSpec } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { MarketFacts } from "../../srm/index.ts";

/** A symbol's specification from the `instruments` table (seeded from broker data or the reference file). */
export async function storedSymbolSpec(prisma: PrismaClient, symbol: string): Promise<SymbolSpec> {
  const row = await prisma.instrument.findUnique({ where: { symbol: symbol.toUpperCase() } });
  if (!row) throw invalid("symbol", `unknown symbol ${symbol}`);
  return {
    symbol: row.symbol,
    digits: row.digits,
    pipSize: row.pipSize.toNumber(),
    contractSize: row.contractSize.toNumber(),
    minVolume: dec(row.minVolume.toString()),
    maxVolume: dec(row.maxVolume.toString()),
    volumeStep: dec(row.volumeStep.toString()),
    marginRate: row.marginRate.toNumber(),
    quoteCurrency: row.quoteCurrency,
    baseCurrency: row.baseCurrency ?? undefined,
  };
}

/** The last recorded quote at or before `at`: a tick, else an M1 close with its recorded spread. */
export async function storedQuote(prisma: PrismaClient, symbol: string, at: number): Promise<{ bid: number; ask: number; time: number } | null> {
  const tick = await prisma.tick.findFirst({ where: { symbol, time: { lte: new Date(at) } }, orderBy: [{ time: "desc" }, { seq: "desc" }] });
  if (tick) return { bid: tick.bid.toNumber(), ask: tick.ask.toNumber(), time: tick.time.getTime() };
  const bar = await prisma.candle.findFirst({ where: { symbol, timeframe: "M1", time: { lte: new Date(at - 60_000) } }, orderBy: { time: "desc" } });
  if (!bar) return null;
  const bid = bar.close.toNumber();
  return { bid, ask: bid + (bar.spread?.toNumber() ?? 0), time: bar.time.getTime() + 60_000 };
}

/**
 * Account-currency value of one unit of `quote` currency, from recorded quotes: 1 when they match, else the
 * direct (QUOTEACC) or inverse (ACCQUOTE) pair's mid. Unknown conversions are an error, never a guess.
 */
export async function storedConversionRate(prisma: PrismaClient, quote: string, account: string, at: number): Promise<number> {
  if (quote === account) return 1;
  const direct = await storedQuote(prisma, `${quote}${account}`, at);
  if (direct) return (direct.bid + direct.ask) / 2;
  const inverse = await storedQuote(prisma, `${account}${quote}`, at);
  if (inverse) return 2 / (inverse.bid + inverse.ask);
  throw new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, `no recorded ${quote}/${account} quote to convert ${quote} into ${account}`);
}

/** Market facts from the stored market data: what a paper account trades on. */
export async function storedMarketFacts(prisma: PrismaClient, symbol: string, accountCurrency: string, at: number): Promise<MarketFacts> {
  const spec = await storedSymbolSpec(prisma, symbol);
  const quote = await storedQuote(prisma, spec.symbol, at);
  return { spec, quote, quoteToAccountRate: await storedConversionRate(prisma, spec.quoteCurrency, accountCurrency, at), at };
}
