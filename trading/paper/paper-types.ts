import type { Decimal } from "../../core/index.ts";
import type { BrokerDeal, BrokerEventMap, BrokerEventName, OrderAccepted, OrderRejected, SubmitOrderRequest } from "../broker/index.ts";

/** One recorded quote as the venue replays it: venue (recorded) time and our receive time, both epoch ms. */
export interface QuotePoint {
  symbol: string;
  time: number;
  bid: number;
  ask: number;
  receivedAt: number;
}

/** Why a position closed: our own close, its stop loss, its take profit, or the venue's stop-out. */
export type CloseReason = "MANUAL" | "SL" | "TP" | "STOP_OUT";

/** A submit request; `expiresAt` (epoch ms, venue time) lets a pending order expire, which the port's request cannot say. */
export interface PaperSubmitOrderRequest extends SubmitOrderRequest {
  expiresAt?: number;
}

/** A close as the venue receives it (what `failAcknowledgement` sees for `closePosition`). */
export interface PaperCloseRequest {
  positionId: string;
  volume?: Decimal;
  clientOrderId: string;
}

/**
 * The port's accepted result plus what execution logs for slippage: the quote at request time (ask for a buy,
 * bid for a sell) and the latency drawn for the request. Both are absent on placed pending orders.
 */
export interface PaperOrderAccepted extends OrderAccepted {
  requestedPrice?: Decimal;
  latencyMs?: number;
}

export type PaperOrderResult = PaperOrderAccepted | OrderRejected;

/** A deal with the paper venue's extras: requested price and latency for market fills, close reason for exits. */
export interface PaperDeal extends BrokerDeal {
  requestedPrice?: Decimal;
  latencyMs?: number;
  closeReason?: CloseReason;
}

/** The port's `positionClosed` event with the reason and the closing deal, which the port's event does not carry. */
export interface PaperPositionClosed {
  positionId: string;
  position?: BrokerEventMap["positionClosed"]["position"];
  reason: CloseReason;
  dealId: string;
  time: number;
  receivedAt: number;
}

/** Test hooks of the venue; each is off unless set. */
export interface PaperFaults {
  /**
   * The venue executes the request, but the call throws TRD_ERR_OUTCOME_UNKNOWN as if the answer were lost,
   * so execution's reconciliation (look up by client order id before any retry) can be tested end to end.
   */
  failAcknowledgement?: (request: PaperSubmitOrderRequest | PaperCloseRequest) => boolean;
}

/** Where the ledger and matcher send port events; the venue decides whether the link lets them through. */
export type EventSink = <K extends BrokerEventName>(name: K, event: BrokerEventMap[K]) => void;

/** Settled results of market requests are handed back by client order id. */
export type SettleSink = (clientOrderId: string, result: PaperOrderResult) => void;
