export { buildApi, type BuildApiOptions } from "./build-api.ts";
export { startServer } from "./server.ts";
export { apiConfig } from "./api.config.ts";
export { STATUS_BY_KIND } from "./error-handler.ts";
