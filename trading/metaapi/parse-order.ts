import type { Side } from "../../core/index.ts";
import type { BrokerOrder, OrderState, OrderType } from "../broker/index.ts";
import type { MetatraderOrder } from "./metaapi-client.ts";
import { optionalPrice, wireDecimal, wireTime } from "./metaapi-wire.ts";

const TYPES: Readonly<Record<string, { side: Side; type: OrderType }>> = {
  ORDER_TYPE_BUY: { side: "BUY", type: "MARKET" },
  ORDER_TYPE_SELL: { side: "SELL", type: "MARKET" },
  ORDER_TYPE_BUY_LIMIT: { side: "BUY", type: "LIMIT" },
  ORDER_TYPE_SELL_LIMIT: { side: "SELL", type: "LIMIT" },
  ORDER_TYPE_BUY_STOP: { side: "BUY", type: "STOP" },
  ORDER_TYPE_SELL_STOP: { side: "SELL", type: "STOP" },
  ORDER_TYPE_BUY_STOP_LIMIT: { side: "BUY", type: "STOP_LIMIT" },
  ORDER_TYPE_SELL_STOP_LIMIT: { side: "SELL", type: "STOP_LIMIT" },
};

const STATES: Readonly<Record<string, OrderState>> = {
  ORDER_STATE_STARTED: "pending",
  ORDER_STATE_REQUEST_ADD: "pending",
  ORDER_STATE_PLACED: "placed",
  ORDER_STATE_REQUEST_MODIFY: "placed",
  ORDER_STATE_REQUEST_CANCEL: "placed",
  ORDER_STATE_PARTIAL: "partial",
  ORDER_STATE_FILLED: "filled",
  ORDER_STATE_CANCELED: "canceled",
  ORDER_STATE_REJECTED: "rejected",
  ORDER_STATE_EXPIRED: "expired",
};

/*
 * Sample MetatraderOrder (trimmed; a pending order, times already Dates):
 * { "id": 46871284, "type": "ORDER_TYPE_BUY_LIMIT", "state": "ORDER_STATE_PLACED", "symbol": "AUDNZD",
 *   "magic": 123456, "platform": "mt5", "time": "2020-04-20T08:38:58.270Z", "openPrice": 1.03, "currentPrice": 1.05206,
 *   "volume": 0.01, "currentVolume": 0.01, "stopLoss": 0, "takeProfit": 1.06, "positionId": "",
 *   "clientId": "RL0A1B2C3D4E5F7", "comment": "", "reason": "ORDER_REASON_CLIENT",
 *   "fillingMode": "ORDER_FILLING_RETURN", "expirationType": "ORDER_TIME_GTC" }
 */
/**
 * A MetaApi order (working or from history) as a port order. Close-by orders have no place in the port's
 * model and give undefined; an unknown state reads as "pending" so a new venue state never hides an order.
 */
export function parseOrder(o: MetatraderOrder): BrokerOrder | undefined {
  const kind = TYPES[o.type];
  if (!kind) return undefined;
  const price = optionalPrice(o.openPrice);
  const stopLimitPrice = optionalPrice(o.stopLimitPrice);
  const stopLoss = optionalPrice(o.stopLoss);
  const takeProfit = optionalPrice(o.takeProfit);
  const doneAt = wireTime(o.doneTime);
  return {
    id: String(o.id),
    symbol: o.symbol,
    side: kind.side,
    type: kind.type,
    state: STATES[o.state] ?? "pending",
    volume: wireDecimal(o.volume),
    remainingVolume: wireDecimal(o.currentVolume ?? o.volume),
    ...(price ? { price } : {}),
    ...(stopLimitPrice ? { stopLimitPrice } : {}),
    ...(stopLoss ? { stopLoss } : {}),
    ...(takeProfit ? { takeProfit } : {}),
    createdAt: wireTime(o.time) ?? 0,
    ...(doneAt !== undefined ? { doneAt } : {}),
    ...(o.positionId ? { positionId: String(o.positionId) } : {}),
    ...(o.clientId ? { clientOrderId: o.clientId } : {}),
    ...(o.comment ? { comment: o.comment } : {}),
  };
}
