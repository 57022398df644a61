/**
 * Demo market data: real bars and ticks from ../shared/data when it is there, otherwise a seeded scenario
 * calibrated on real data (see CALIBRATION.md), plus the demo symbols' instruments.
 */
export { seedMarketData, type SeedMarketDataOptions, type SeedMarketDataReport } from "./seed-market-data.ts";
export { generateScenario, marketOpen, startOfLastOpenMinutes, type ScenarioCalibration, type ScenarioOptions } from "./scenario-generator.ts";
export { CALIBRATION_SOURCES, measureCalibration, type CalibrationSource, type SymbolCalibration } from "./measure-calibration.ts";
export { DEMO_CALIBRATION, DEMO_START_PRICES, DEMO_SYMBOLS, type DemoSymbol } from "./calibration-figures.ts";
export { DEMO_INSTRUMENTS, type DemoInstrument } from "./demo-instruments.ts";
export { REAL_DEMO_DATA, type RealDemoPiece } from "./real-demo-data.ts";
export { SeededRandom } from "./seeded-random.ts";
