import { dec, type SymbolSpec } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";

/** Every row of the `instruments` table as a symbol specification (what the paper venue trades). */
export async function instrumentSpecs(prisma: PrismaClient): Promise<SymbolSpec[]> {
  const rows = await prisma.instrument.findMany({ orderBy: { symbol: "asc" } });
  return rows.map((row) => ({
    symbol: row.symbol,
    digits: row.digits,
    pipSize: row.pipSize.toNumber(),
    contractSize: row.contractSize.toNumber(),
    minVolume: dec(row.minVolume.toString()),
    maxVolume: dec(row.maxVolume.toString()),
    volumeStep: dec(row.volumeStep.toString()),
    marginRate: row.marginRate.toNumber(),
    quoteCurrency: row.quoteCurrency,
    ...(row.baseCurrency ? { baseCurrency: row.baseCurrency } : {}),
  }));
}
