import type { SymbolSpec } from "../../core/index.ts";
import { isFxOrMetal, pipSizeFor } from "../broker/index.ts";
import type { MetatraderSymbolSpecification } from "./metaapi-client.ts";
import { wireDecimal } from "./metaapi-wire.ts";

/*
 * Sample MetatraderSymbolSpecification (trimmed):
 * { "symbol": "EURUSD", "tickSize": 0.00001, "minVolume": 0.01, "maxVolume": 200, "volumeStep": 0.01,
 *   "contractSize": 100000, "digits": 5, "point": 0.00001, "baseCurrency": "EUR", "profitCurrency": "USD",
 *   "marginCurrency": "EUR", "initialMargin": 0, "maintenanceMargin": 0, "stopsLevel": 0, "freezeLevel": 0,
 *   "tradeMode": "SYMBOL_TRADE_MODE_FULL", "fillingModes": ["SYMBOL_FILLING_FOK"], "deal": "SYMBOL_TRADE_EXECUTION_MARKET" }
 */
/**
 * A symbol specification as core's SymbolSpec. Pip size follows `pipSizeFor` (one convention for every venue).
 * Margin rate: the fixed initial margin per lot over the contract size when the broker sets one in the base
 * currency, else 1 / account leverage (how MT computes FX margin).
 */
export function parseSymbolSpecification(s: MetatraderSymbolSpecification, account: { leverage: number }): SymbolSpec {
  const fixedMargin = s.initialMargin > 0 && s.marginCurrency === s.baseCurrency && s.contractSize > 0;
  const marginRate = fixedMargin ? s.initialMargin / s.contractSize : 1 / Math.max(1, account.leverage);
  const letters = s.symbol.toUpperCase().replace(/[^A-Z]/g, "");
  const quoteCurrency = s.profitCurrency || (isFxOrMetal(s.symbol) ? letters.slice(3, 6) : s.marginCurrency);
  return {
    symbol: s.symbol,
    digits: s.digits,
    pipSize: pipSizeFor(s.symbol, s.digits, s.point, s.pipSize),
    contractSize: s.contractSize,
    minVolume: wireDecimal(s.minVolume),
    maxVolume: wireDecimal(s.maxVolume),
    volumeStep: wireDecimal(s.volumeStep),
    marginRate,
    quoteCurrency,
    ...(s.baseCurrency ? { baseCurrency: s.baseCurrency } : {}),
  };
}
