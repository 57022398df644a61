import { describe, expect, it } from "vitest";
import { conventionalPipSize } from "../../core/index.ts";
import { MarketContextService } from "../../analysis/context/index.ts";
import { InMemoryMarketData } from "../../analysis/context/in-memory-market-data.ts";
import { eurusdMay2014, LEAN_EURUSD_H1, LEAN_EURUSD_M1, LEAN_EURUSD_TICKS } from "../../analysis/context/real-market-data.ts";
import { hasSharedData, sharedDataPath } from "../../test/kit/shared-data.ts";
import { fillContextOf, storedFillContext } from "./fill-context.ts";

const available = [LEAN_EURUSD_M1, LEAN_EURUSD_H1, LEAN_EURUSD_TICKS].every((f) => hasSharedData(...f));

describe.skipIf(!available)("storedFillContext on real OANDA EURUSD bars and quotes, May 2014", () => {
  const reader = InMemoryMarketData.of("EURUSD", available ? eurusdMay2014(sharedDataPath) : { candles: {}, ticks: [] });
  const lookup = storedFillContext(reader);
  const inside = [Date.UTC(2014, 4, 7, 14, 30, 5), Date.UTC(2014, 4, 13, 9, 0, 0), Date.UTC(2014, 4, 2, 3, 15, 42)];

  it("gives the context service's ATR, volatility index and typical spread at each fill's instant", async () => {
    const service = new MarketContextService(reader, { pipSize: conventionalPipSize });
    const found = await lookup("EURUSD", inside);
    for (const [i, t] of inside.entries()) {
      const expected = fillContextOf(await service.computeAt("EURUSD", t));
      expect(found[i]).toEqual(expected);
    }
    const mid = found[0]!;
    expect(mid.atr! / 0.0001).toBeGreaterThan(0.5);
    expect(mid.atr! / 0.0001).toBeLessThan(20);
    expect(mid.volatilityIndex).toBeGreaterThanOrEqual(0);
    expect(mid.volatilityIndex).toBeLessThanOrEqual(1);
    expect(mid.spread! / 0.0001).toBeGreaterThan(0.3);
    expect(mid.spread! / 0.0001).toBeLessThan(5);
  });

  it("knows nothing where no bars are stored: other years, other symbols", async () => {
    expect(await lookup("EURUSD", [Date.UTC(2013, 0, 8, 12), Date.UTC(2015, 0, 8, 12)])).toEqual([null, null]);
    expect(await lookup("XAUUSD", inside)).toEqual([null, null, null]);
  });
});
