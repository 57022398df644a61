import type { AccountInfo } from "../broker/index.ts";
import type { MetatraderAccountInformation } from "./metaapi-client.ts";
import { wireDecimal } from "./metaapi-wire.ts";

/*
 * Sample MetatraderAccountInformation (trimmed):
 * { "platform": "mt5", "broker": "True ECN Trading Ltd", "currency": "USD", "server": "ICMarketsSC-Demo",
 *   "balance": 7319.9, "equity": 7306.649913200001, "margin": 184.1, "freeMargin": 7120.22, "leverage": 100,
 *   "marginLevel": 3967.58283542, "tradeAllowed": true, "marginMode": "ACCOUNT_MARGIN_MODE_RETAIL_HEDGING",
 *   "login": 50194988, "credit": 0, "type": "ACCOUNT_TRADE_MODE_DEMO", "currencyDigits": 2, "name": "Test" }
 */
/** Account money as exact decimals. MT4 always hedges; MT5 hedges only in retail hedging margin mode. */
export function parseAccountInformation(a: MetatraderAccountInformation, receivedAt: number): AccountInfo {
  const money = (n: number) => wireDecimal(n).toDecimalPlaces(a.currencyDigits ?? 2);
  return {
    balance: money(a.balance),
    equity: money(a.equity),
    margin: money(a.margin),
    freeMargin: money(a.freeMargin),
    ...(a.margin > 0 && Number.isFinite(a.marginLevel) ? { marginLevel: wireDecimal(a.marginLevel).toDecimalPlaces(2) } : {}),
    leverage: a.leverage,
    currency: a.currency,
    tradeAllowed: a.tradeAllowed,
    hedging: a.platform === "mt4" || a.marginMode === "ACCOUNT_MARGIN_MODE_RETAIL_HEDGING",
    receivedAt,
  };
}
