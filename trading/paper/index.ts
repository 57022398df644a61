export { PaperVenue, PAPER_CAPABILITIES, type PaperVenueDeps, type PaperVenueOptions } from "./paper-venue.ts";
export { registerPaperBroker, type PaperBrokerDeps } from "./paper-broker-factory.ts";
export { resolvePaperSettings, type PaperSettings, type PaperSettingsInput } from "./paper-settings.ts";
export { paperConfig, PAPER_DEFAULTS, type PaperConfig } from "./paper.config.ts";
export { LatencyModel, validateLatencySpec, type LatencySpec } from "./latency-model.ts";
export { barQuotePoints, BAR_POINT_OFFSETS_MS } from "./bar-quotes.ts";
export { PAPER_CLIENT_ID_MAX } from "./order-checks.ts";
export type { FeedSource, FeedCursor } from "./quote-feed.ts";
export type { PaperVenueJson } from "./paper-snapshot.ts";
export type {
  CloseReason,
  PaperCloseRequest,
  PaperDeal,
  PaperFaults,
  PaperOrderAccepted,
  PaperOrderResult,
  PaperPositionClosed,
  PaperSubmitOrderRequest,
  QuotePoint,
} from "./paper-types.ts";
