import type { Side } from "../../core/index.ts";
import type { BrokerDeal, DealReason } from "../broker/index.ts";
import type { MetatraderDeal } from "./metaapi-client.ts";
import { optionalPrice, wireDecimal, wireMoney, wireTime } from "./metaapi-wire.ts";

const KINDS: Readonly<Record<string, { kind: BrokerDeal["kind"]; side?: Side }>> = {
  DEAL_TYPE_BUY: { kind: "trade", side: "BUY" },
  DEAL_TYPE_SELL: { kind: "trade", side: "SELL" },
  DEAL_TYPE_BALANCE: { kind: "balance" },
  DEAL_TYPE_CORRECTION: { kind: "balance" },
  DEAL_TYPE_CREDIT: { kind: "credit" },
  DEAL_TYPE_BONUS: { kind: "credit" },
  DEAL_TYPE_CHARGE: { kind: "fee" },
  DEAL_TYPE_COMMISSION: { kind: "fee" },
  DEAL_TYPE_COMMISSION_DAILY: { kind: "fee" },
  DEAL_TYPE_COMMISSION_MONTHLY: { kind: "fee" },
  DEAL_TYPE_COMMISSION_AGENT_DAILY: { kind: "fee" },
  DEAL_TYPE_COMMISSION_AGENT_MONTHLY: { kind: "fee" },
  DEAL_TYPE_INTEREST: { kind: "fee" },
  DEAL_TAX: { kind: "fee" },
};

const ENTRIES: Readonly<Record<string, NonNullable<BrokerDeal["entry"]>>> = {
  DEAL_ENTRY_IN: "in",
  DEAL_ENTRY_OUT: "out",
  DEAL_ENTRY_INOUT: "inout",
  DEAL_ENTRY_OUT_BY: "out",
};

const REASONS: Readonly<Record<string, DealReason>> = {
  DEAL_REASON_CLIENT: "client",
  DEAL_REASON_MOBILE: "client",
  DEAL_REASON_WEB: "client",
  DEAL_REASON_EXPERT: "expert",
  DEAL_REASON_SL: "stop_loss",
  DEAL_REASON_TP: "take_profit",
  DEAL_REASON_SO: "stop_out",
};

/*
 * Sample MetatraderDeal (trimmed; the opening fill of a market buy, time already a Date):
 * { "id": "33230099", "type": "DEAL_TYPE_BUY", "entryType": "DEAL_ENTRY_IN", "symbol": "GBPUSD", "magic": 1000,
 *   "time": "2020-04-15T02:45:06.521Z", "brokerTime": "2020-04-15 05:45:06.521", "volume": 0.07, "price": 1.26101,
 *   "commission": -0.25, "swap": 0, "profit": 0, "positionId": "46214692", "orderId": "46214692",
 *   "clientId": "RL0A1B2C3D4E5F6", "platform": "mt5", "reason": "DEAL_REASON_EXPERT" }
 */
/** A MetaApi deal as a port deal; unknown deal types read as `other` rather than failing a history read. */
export function parseDeal(d: MetatraderDeal): BrokerDeal {
  const kind = KINDS[d.type] ?? { kind: "other" as const };
  const entry = ENTRIES[d.entryType];
  const volume = d.volume === undefined ? undefined : wireDecimal(d.volume);
  const price = optionalPrice(d.price);
  return {
    id: String(d.id),
    kind: kind.kind,
    ...(kind.side ? { side: kind.side } : {}),
    ...(entry ? { entry } : {}),
    ...(d.symbol ? { symbol: d.symbol } : {}),
    ...(volume ? { volume } : {}),
    ...(price ? { price } : {}),
    profit: wireMoney(d.profit ?? 0),
    commission: wireMoney(d.commission ?? 0),
    swap: wireMoney(d.swap ?? 0),
    ...(d.positionId ? { positionId: String(d.positionId) } : {}),
    ...(d.orderId ? { orderId: String(d.orderId) } : {}),
    ...(d.clientId ? { clientOrderId: d.clientId } : {}),
    reason: (d.reason && REASONS[d.reason]) || "other",
    time: wireTime(d.time) ?? 0,
  };
}
