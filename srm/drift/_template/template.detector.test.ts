import { runDriftDetectorConformance } from "../../../test/conformance/drift-detector.ts";
import { medianShiftDetector } from "./template.detector.ts";

runDriftDetectorConformance(medianShiftDetector());
