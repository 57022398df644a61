export { templateFamily } from "./template-family.ts";
