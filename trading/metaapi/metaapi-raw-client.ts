import type { MetaapiClient } from "./metaapi-client.ts";

/**
 * What the adapter uses of the raw client: every public member of MetaapiClient. Tests implement it with an
 * in-memory venue, so the adapter's retry, lookup and reconnect logic runs without the SDK or a network.
 */
export type MetaapiRawClient = { [K in keyof MetaapiClient]: MetaapiClient[K] };
