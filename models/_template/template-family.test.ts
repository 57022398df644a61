import { runModelFamilyConformance } from "../../test/conformance/model-family.ts";
import { templateFamily } from "./template-family.ts";

runModelFamilyConformance(templateFamily);
