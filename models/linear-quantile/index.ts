export { linearQuantileFamily } from "./linear-quantile-family.ts";
