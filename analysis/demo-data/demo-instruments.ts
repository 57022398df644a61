import { dec, type SymbolSpec } from "../../core/index.ts";
import type { DemoSymbol } from "./calibration-figures.ts";

/** A symbol's specification with a line of description for the `instruments` table. */
export type DemoInstrument = SymbolSpec & { description: string };

const fx = (symbol: string, digits: number, pipSize: number, description: string): DemoInstrument => ({
  symbol,
  digits,
  pipSize,
  contractSize: 100_000,
  minVolume: dec("0.01"),
  maxVolume: dec("100"),
  volumeStep: dec("0.01"),
  marginRate: 0.01,
  baseCurrency: symbol.slice(0, 3),
  quoteCurrency: symbol.slice(3, 6),
  description,
});

/**
 * The demo symbols' specifications. Digits follow the tick sizes ("minimum_price_variation") of OANDA's rows in
 * ../shared/data/reference/lean_symbol_properties_forex_cfd.csv (0.00001 EURUSD/GBPUSD, 0.001 USDJPY/XAUUSD);
 * contract sizes, volume limits and margin rates are the common retail terms (100,000 units and 1:100 for FX,
 * 100 oz and 1:20 for gold).
 */
export const DEMO_INSTRUMENTS: Readonly<Record<DemoSymbol, DemoInstrument>> = {
  EURUSD: fx("EURUSD", 5, 0.0001, "Euro vs US Dollar"),
  GBPUSD: fx("GBPUSD", 5, 0.0001, "Pound Sterling vs US Dollar"),
  USDJPY: fx("USDJPY", 3, 0.01, "US Dollar vs Japanese Yen"),
  XAUUSD: { ...fx("XAUUSD", 3, 0.01, "Gold vs US Dollar"), contractSize: 100, marginRate: 0.05 },
};
