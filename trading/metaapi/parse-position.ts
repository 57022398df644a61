import type { Side } from "../../core/index.ts";
import type { BrokerPosition } from "../broker/index.ts";
import type { MetatraderPosition } from "./metaapi-client.ts";
import { optionalPrice, unexpectedPayload, wireDecimal, wireMoney, wireTime } from "./metaapi-wire.ts";

const SIDES: Readonly<Record<string, Side>> = { POSITION_TYPE_BUY: "BUY", POSITION_TYPE_SELL: "SELL" };

/*
 * Sample MetatraderPosition (trimmed; times already Dates after the SDK's conversion):
 * { "id": 46214692, "type": "POSITION_TYPE_BUY", "symbol": "GBPUSD", "magic": 1000,
 *   "time": "2020-04-15T02:45:06.521Z", "updateTime": "2020-04-15T02:45:06.521Z",
 *   "openPrice": 1.26101, "currentPrice": 1.24883, "stopLoss": 1.2, "takeProfit": 0, "volume": 0.07,
 *   "swap": 0, "profit": -85.25999999999966, "unrealizedProfit": -85.25999999999966, "commission": -0.25,
 *   "clientId": "RL0A1B2C3D4E5F6", "comment": "copy" }
 */
/** A MetaApi position as a port position (SL/TP of 0 mean none). */
export function parsePosition(p: MetatraderPosition): BrokerPosition {
  const side = SIDES[p.type];
  if (!side) throw unexpectedPayload("position type", p.type);
  const openTime = wireTime(p.time) ?? 0;
  const currentPrice = optionalPrice(p.currentPrice);
  const stopLoss = optionalPrice(p.stopLoss);
  const takeProfit = optionalPrice(p.takeProfit);
  return {
    id: String(p.id),
    symbol: p.symbol,
    side,
    volume: wireDecimal(p.volume),
    openPrice: wireDecimal(p.openPrice),
    ...(currentPrice ? { currentPrice } : {}),
    ...(stopLoss ? { stopLoss } : {}),
    ...(takeProfit ? { takeProfit } : {}),
    profit: wireMoney(p.unrealizedProfit ?? p.profit),
    swap: wireMoney(p.swap ?? 0),
    commission: wireMoney(p.commission ?? 0),
    openTime,
    updateTime: wireTime(p.updateTime) ?? openTime,
    ...(p.clientId ? { clientOrderId: p.clientId } : {}),
    ...(p.comment ? { comment: p.comment } : {}),
  };
}
