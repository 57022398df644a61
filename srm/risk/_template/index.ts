export { openLossRule, type OpenLossOptions } from "./template.rule.ts";
