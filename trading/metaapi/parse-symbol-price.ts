import type { BrokerPrice } from "../broker/index.ts";
import type { MetatraderSymbolPrice } from "./metaapi-client.ts";
import { wireDecimal, wireTime } from "./metaapi-wire.ts";

/*
 * Sample MetatraderSymbolPrice (time already a Date):
 * { "symbol": "AUDNZD", "bid": 1.05297, "ask": 1.05309, "profitTickValue": 0.59731, "lossTickValue": 0.59736,
 *   "time": "2020-04-07T03:45:23.345Z", "brokerTime": "2020-04-07 06:45:23.345" }
 */
/** A quote with the venue's time and ours (MetaApi streams quotes every 2.5 s by default, so say how fresh). */
export function parseSymbolPrice(p: MetatraderSymbolPrice, receivedAt: number): BrokerPrice {
  return { symbol: p.symbol, bid: wireDecimal(p.bid), ask: wireDecimal(p.ask), time: wireTime(p.time) ?? receivedAt, receivedAt };
}
