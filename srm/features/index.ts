export type { FeatureInput, FillKind } from "./feature-input.ts";
export { SESSIONS, buildFeatureSchema, encodeFeatures, featureEncoder, type FeatureSchema } from "./feature-schema.ts";
export { FILL_KIND_OF, featuresForOrder, featuresFromExecution, type ContextFields, type ExecutionFeatureRow } from "./feature-builders.ts";
