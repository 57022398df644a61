import { defineErrorCodes } from "../../core/index.ts";

/** Error codes of market-data import; a bad timeframe or option uses core's `CORE_ERR_INVALID`. */
export const MarketDataErrors = defineErrorCodes({
  MKT_ERR_BAD_ROW: {
    kind: "invalid",
    description: "A market-data file has a bad row (malformed, unsorted, duplicated, non-positive or inconsistent prices); details name the file, line and reason, and nothing from the file was stored.",
  },
  MKT_ERR_FORMAT: {
    kind: "invalid",
    description: "A market-data file's format was not recognised, does not match the requested format, or holds bars where ticks were expected (or the reverse).",
  },
});
