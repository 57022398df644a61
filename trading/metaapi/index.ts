export { MetaapiAdapter, metaapiCapabilities, type MetaapiAdapterOptions } from "./metaapi-adapter.ts";
export { registerMetaapiBroker, createMetaapiProvisioning } from "./metaapi-broker-factory.ts";
export { metaapiConfig, type MetaapiSettings } from "./metaapi.config.ts";
export { METAAPI_TRADE_CODES, METAAPI_ERROR_CLASSES, mapMetaapiError, type MappedMetaapiError } from "./metaapi-errors.ts";
export type { MetaapiRawClient } from "./metaapi-raw-client.ts";
export { METAAPI_CLIENT_ID_BUDGET } from "./metaapi-order-submitter.ts";
export type { MetaapiClient, MetaapiProvisioning, MetaapiSyncHandler } from "./metaapi-client.ts";
