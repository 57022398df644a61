/**
 * Broker sessions: one connected broker port per account (paper venue or MetaApi), its bookkeeping queue,
 * the database picture of its venue state (positions, orders, closed trades, money), reconciliation after every
 * (re)connect, market facts from the venue, and deploy/undeploy/test of accounts.
 */
export { BrokerSession, type SessionAccount, type SessionMoney } from "./broker-session.ts";
export { BrokerSessions, type BrokerSessionsOptions } from "./broker-sessions.ts";
export { PositionBook, type BookHooks, type Fill, type SrmPositionFields, type TradeCloseReason } from "./position-book.ts";
export { Reconciler, ACCOUNT_SYNCED_EVENT, type SyncKind } from "./reconciler.ts";
export { followBrokerEvents } from "./follow-broker-events.ts";
export { findOpenFill, historySince, openFillOf, type OpenFillFound } from "./open-fill-lookup.ts";
export { sessionMarketFacts, sessionQuote } from "./session-market-facts.ts";
export { AccountProvisioning, type OpenProvisioning, type ProvisioningStatus, type VenueProvisioning } from "./account-provisioning.ts";
export { instrumentSpecs } from "./instrument-specs.ts";
export { defaultPaperSettings, type StoredPaperSettings } from "./paper-defaults.ts";
export { slippagePips, columnsFromContext, columnsFromFeatures, type ContextColumns } from "./slippage.ts";
export { closedTradeView, executionView, orderView, positionView } from "./trading-views.ts";
