import type { BrokerPosition } from "../index.ts";
import { Decimal } from "../../../core/index.ts";
import type { TemplatePositionPayload } from "./template-client.ts";

/*
 * Sample payload (trimmed):
 * { "ticket": "9001", "side": "buy", "symbol": "EURUSD", "lots": 0.1, "price": 1.0813, "sl": 0, "tp": 1.09,
 *   "openedAt": "2024-05-14T09:00:00.000Z", "clientTag": "RL0A1B2C3D4E5F6" }
 */
/** A venue position as a port position. */
export function parseTemplatePosition(p: TemplatePositionPayload): BrokerPosition {
  const openTime = Date.parse(p.openedAt);
  const price = (n: number) => new Decimal(n).toSignificantDigits(15);
  return {
    id: p.ticket,
    symbol: p.symbol,
    side: p.side === "buy" ? "BUY" : "SELL",
    volume: price(p.lots),
    openPrice: price(p.price),
    ...(p.sl ? { stopLoss: price(p.sl) } : {}),
    ...(p.tp ? { takeProfit: price(p.tp) } : {}),
    profit: new Decimal(0),
    swap: new Decimal(0),
    commission: new Decimal(0),
    openTime,
    updateTime: openTime,
    ...(p.clientTag ? { clientOrderId: p.clientTag } : {}),
  };
}
