export { medianShiftDetector } from "./template.detector.ts";
