import { dec, newId, type SymbolSpec, type TradeIntent } from "../../core/index.ts";
import type { AccountSnapshot } from "../../srm/index.ts";

export const T0 = Date.UTC(2024, 2, 12, 14, 30, 0); // a Tuesday, London/New York overlap

export const EURUSD: SymbolSpec = {
  symbol: "EURUSD",
  digits: 5,
  pipSize: 0.0001,
  contractSize: 100_000,
  minVolume: dec("0.01"),
  maxVolume: dec("100"),
  volumeStep: dec("0.01"),
  marginRate: 0.01,
  quoteCurrency: "USD",
  baseCurrency: "EUR",
};

export const XAUUSD: SymbolSpec = { ...EURUSD, symbol: "XAUUSD", digits: 2, pipSize: 0.01, contractSize: 100, marginRate: 0.05, baseCurrency: "XAU" };

/** An opening EURUSD buy intent at 1.10000 with a 20-pip stop, received now. */
export function anIntent(overrides: Partial<TradeIntent> = {}): TradeIntent {
  const id = newId();
  return {
    id,
    source: "MANUAL",
    dedupKey: `test:${id}`,
    accountId: newId(),
    symbol: "EURUSD",
    side: "BUY",
    kind: "OPEN",
    volume: dec("0.50"),
    price: dec("1.10000"),
    stopLoss: dec("1.09800"),
    takeProfit: dec("1.10400"),
    signalTime: T0 - 200,
    receivedAt: T0 - 100,
    ...overrides,
  };
}

export function anAccount(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    balance: dec("10000"),
    equity: dec("10000"),
    freeMargin: dec("10000"),
    riskState: "ACTIVE",
    dayStartBalance: dec("10000"),
    equityHighWaterMark: dec("10000"),
    ...overrides,
  };
}
