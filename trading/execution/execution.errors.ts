import { defineErrorCodes } from "../../core/index.ts";

/** Errors of the execution path (broker errors keep their own `TRD_ERR_*` codes from trading/broker). */
export const ExecutionErrors = defineErrorCodes({
  TRD_ERR_NOT_APPROVED: {
    kind: "fatal",
    description: "Execution was handed something SRM did not approve (a cast, copy or hand-made object); nothing was sent.",
  },
  TRD_ERR_MARKET_NOT_OPEN: {
    kind: "conflict",
    description: "The symbol has no fresh quote at the venue (market closed or not yet quoted); no order was sent.",
  },
  TRD_ERR_IN_FLIGHT: {
    kind: "conflict",
    description: "The same order (same client order id) is being executed right now; wait for its outcome instead of resending.",
  },
});
