import { dec, type SymbolSpec } from "../../../core/index.ts";

function fx(symbol: string, digits: number, pipSize: number): SymbolSpec {
  return {
    symbol,
    digits,
    pipSize,
    contractSize: 100_000,
    minVolume: dec("0.01"),
    maxVolume: dec(100),
    volumeStep: dec("0.01"),
    marginRate: 0.01,
    baseCurrency: symbol.slice(0, 3),
    quoteCurrency: symbol.slice(3, 6),
  };
}

/** Test kit: instrument rows as the Instrument table would hold them for a 1:100 USD account. */
export const TEST_INSTRUMENTS: readonly SymbolSpec[] = [
  fx("EURUSD", 5, 0.0001),
  fx("GBPUSD", 5, 0.0001),
  fx("USDJPY", 3, 0.01),
  {
    symbol: "XAUUSD",
    digits: 3,
    pipSize: 0.01,
    contractSize: 100,
    minVolume: dec("0.01"),
    maxVolume: dec(50),
    volumeStep: dec("0.01"),
    marginRate: 0.01,
    baseCurrency: "XAU",
    quoteCurrency: "USD",
  },
];
