import { defineErrorCodes } from "../core/index.ts";

/** Error codes owned by `models/`; bad inputs use core's `CORE_ERR_INVALID` via `invalid()`. */
export const ModelErrors = defineErrorCodes({
  MODELS_ERR_ARTEFACT_MISSING: {
    kind: "not_found",
    description: "A model artefact folder or one of its files does not exist.",
  },
  MODELS_ERR_ARTEFACT_CORRUPT: {
    kind: "fatal",
    description: "A model artefact is unreadable, of an unknown format version, or its weights fail the checksum.",
  },
  MODELS_ERR_FIT_DIVERGED: {
    kind: "internal",
    description: "Training produced a non-finite loss or weights; no model was produced.",
  },
});
