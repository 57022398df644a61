import { notFound } from "../core/index.ts";
import { linearQuantileFamily } from "./linear-quantile/index.ts";
import type { ModelFamily } from "./model-family.ts";
import { mlpQuantileFamily } from "./mlp-quantile/index.ts";

/** The families a retrain job may choose from, by id. */
export const MODEL_FAMILIES: Readonly<Record<string, ModelFamily>> = Object.freeze({
  [mlpQuantileFamily.id]: mlpQuantileFamily,
  [linearQuantileFamily.id]: linearQuantileFamily,
});

/** The family with this id; throws `CORE_ERR_NOT_FOUND` for an unknown id. */
export function getModelFamily(id: string): ModelFamily {
  const family = MODEL_FAMILIES[id];
  if (!family) throw notFound("model family", id);
  return family;
}
