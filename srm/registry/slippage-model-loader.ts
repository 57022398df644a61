import { loadPredictor } from "../../models/index.ts";
import { featureEncoder, type FeatureSchema } from "../features/index.ts";
import type { SlippageModel } from "../decision/decide.ts";
import type { ModelVersionRow } from "./model-registry.ts";

/** Loads a registered slippage version into the typed-array predictor the decision calls. */
export async function loadSlippageModel(row: ModelVersionRow): Promise<SlippageModel> {
  const schema = row.featureSchema as FeatureSchema;
  const encode = featureEncoder(schema);
  return { version: row.version, schema, encode: (x) => encode(x), predictor: await loadPredictor(row.artifactPath) };
}
