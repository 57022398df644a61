import { runDriftDetectorConformance } from "../../../test/conformance/drift-detector.ts";
import { chiSquareDetector, jensenShannonDetector, ksDetector, psiDetector, wassersteinDetector } from "./index.ts";

for (const detector of [ksDetector(), psiDetector(), wassersteinDetector(), jensenShannonDetector(), chiSquareDetector()]) runDriftDetectorConformance(detector);
