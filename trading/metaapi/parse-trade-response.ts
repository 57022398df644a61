import type { MetatraderTradeResponse } from "./metaapi-client.ts";

/** The ids and code of a successful trade answer. */
export interface TradeAnswer {
  orderId?: string;
  positionId?: string;
  brokerCode: string;
  message: string;
  /** TRADE_RETCODE_PLACED: a pending order was accepted, nothing filled yet. */
  placed: boolean;
  /** TRADE_RETCODE_DONE_PARTIAL: only part of the volume filled. */
  partial: boolean;
}

/*
 * Sample MetatraderTradeResponse:
 * { "numericCode": 10009, "stringCode": "TRADE_RETCODE_DONE", "message": "Request completed",
 *   "orderId": "47138322", "positionId": "46648037" }
 */
/** A successful trade answer (the SDK raises TradeError for every other code). */
export function parseTradeResponse(r: MetatraderTradeResponse): TradeAnswer {
  return {
    ...(r.orderId ? { orderId: String(r.orderId) } : {}),
    ...(r.positionId ? { positionId: String(r.positionId) } : {}),
    brokerCode: r.stringCode,
    message: r.message,
    placed: r.stringCode === "TRADE_RETCODE_PLACED",
    partial: r.stringCode === "TRADE_RETCODE_DONE_PARTIAL",
  };
}
