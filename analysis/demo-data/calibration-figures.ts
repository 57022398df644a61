import type { SymbolCalibration } from "./measure-calibration.ts";

/** The symbols the demo seeds. */
export const DEMO_SYMBOLS = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD"] as const;
export type DemoSymbol = (typeof DEMO_SYMBOLS)[number];

/**
 * Figures measured by `measureCalibration(CALIBRATION_SOURCES, "../shared/data")` (rounded to 4 significant
 * digits; see CALIBRATION.md). calibration.test.ts re-measures the files and fails when these drift.
 */
export const DEMO_CALIBRATION: Readonly<Record<DemoSymbol, SymbolCalibration>> = {
  EURUSD: {
    symbol: "EURUSD",
    sources: ["prices/lean/oanda_eurusd_m1_bidask.csv.gz", "prices/lean/oanda_eurusd_tick_bidask.csv.gz", "prices/mt4_export_tianyeshiye/EURUSDH1.csv.gz"],
    m1Bars: 18184,
    returns: 17744,
    sigmaByHour: [0.00005182, 0.00004473, 0.0000413, 0.00003618, 0.0000332, 0.00004525, 0.00008311, 0.000116, 0.0001067, 0.00009001, 0.00009465, 0.000115, 0.0002191, 0.0001184, 0.0001452, 0.0001007, 0.00007262, 0.00007233, 0.00005721, 0.00004984, 0.0000451, 0.0000508, 0.00003349, 0.00003134],
    weekdayFactor: [1.187, 0.6726, 1.108, 1.083, 0.9979, 0.9353, 1],
    excessKurtosis: 13.21,
    tailNu: 4.454,
    beyond4Sigma: 0.006087,
    wickMean: 0.2397,
    spreadMedian: 0.00011,
    spreadP95: 0.00023,
    spreadSource: "ticks",
    crossedShare: 0,
    ticksPerMinute: 34.68,
    weekendGapRms: 0.001613,
    weekendGaps: 213,
  },
  GBPUSD: {
    symbol: "GBPUSD",
    sources: ["prices/nautilus/fxcm_gbpusd-m1-bid-2012.csv", "prices/nautilus/fxcm_gbpusd-m1-ask-2012.csv", "prices/mt4_export_tianyeshiye/GBPUSDH1.csv.gz"],
    m1Bars: 30117,
    returns: 30005,
    sigmaByHour: [0.00009475, 0.00008093, 0.0001171, 0.00008136, 0.00006735, 0.00006495, 0.00008971, 0.0001292, 0.0001476, 0.0001771, 0.00015, 0.0001353, 0.0001522, 0.0001753, 0.0001658, 0.0002089, 0.0001655, 0.0001037, 0.0001084, 0.0001053, 0.00009685, 0.00009277, 0.0001506, 0.0000919],
    weekdayFactor: [1.638, 0.8794, 1.061, 1.047, 0.9566, 0.9593, 1],
    excessKurtosis: 18.71,
    tailNu: 4.321,
    beyond4Sigma: 0.004533,
    wickMean: 0.2736,
    spreadMedian: 0.00007,
    spreadP95: 0.00013,
    spreadSource: "m1 close",
    crossedShare: 0.01152,
    ticksPerMinute: null,
    weekendGapRms: 0.0021,
    weekendGaps: 213,
  },
  USDJPY: {
    symbol: "USDJPY",
    sources: ["prices/nautilus/fxcm_usdjpy-m1-bid-2013.csv", "prices/nautilus/fxcm_usdjpy-m1-ask-2013.csv", "prices/mt4_export_tianyeshiye/USDJPYH1.csv.gz"],
    m1Bars: 28761,
    returns: 28722,
    sigmaByHour: [0.0001864, 0.0002058, 0.0001751, 0.0001676, 0.0001665, 0.000185, 0.0001759, 0.0002263, 0.0002721, 0.0002192, 0.0002321, 0.0002074, 0.0001912, 0.0003674, 0.0002621, 0.0003151, 0.0002375, 0.0001832, 0.0001872, 0.0002496, 0.0003197, 0.0001938, 0.0002199, 0.0001951],
    weekdayFactor: [1.187, 1.042, 1.143, 0.9071, 0.8705, 0.9965, 1],
    excessKurtosis: 26.17,
    tailNu: 4.229,
    beyond4Sigma: 0.005605,
    wickMean: 0.2588,
    spreadMedian: 0.003,
    spreadP95: 0.007,
    spreadSource: "m1 close",
    crossedShare: 0.02375,
    ticksPerMinute: null,
    weekendGapRms: 0.001444,
    weekendGaps: 103,
  },
  XAUUSD: {
    symbol: "XAUUSD",
    sources: ["prices/lean/oanda_xauusd_m1_bidask.csv.gz", "prices/lean/oanda_xauusd_tick_bidask.csv.gz", "prices/mt4_export_tianyeshiye/XAUUSDH1.csv.gz"],
    m1Bars: 15222,
    returns: 15137,
    sigmaByHour: [0.0001464, 0.0002311, 0.0001158, 0.0001356, 0.0001167, 0.0001609, 0.0001726, 0.0002423, 0.0001933, 0.0002164, 0.0002015, 0.0002115, 0.0005039, 0.0002989, 0.0003542, 0.0002657, 0.000204, 0.0001713, 0.0001422, 0.0001501, 0.0001073, 0.000224, 0.0001744, 0.0001088],
    weekdayFactor: [1.838, 1.026, 0.9321, 0.9217, 0.9794, 1.045, 1],
    excessKurtosis: 10.55,
    tailNu: 4.569,
    beyond4Sigma: 0.00621,
    wickMean: 0.3244,
    spreadMedian: 0.316,
    spreadP95: 0.822,
    spreadSource: "ticks",
    crossedShare: 0,
    ticksPerMinute: 146.2,
    weekendGapRms: 0.002222,
    weekendGaps: 150,
  },
};

/** Where generated prices start: the last H1 closes of the MT5 exports in ../shared/data (2026-07-09 20:00 broker time). */
export const DEMO_START_PRICES: Readonly<Record<DemoSymbol, number>> = { EURUSD: 1.14376, GBPUSD: 1.34161, USDJPY: 162.285, XAUUSD: 4136.05 };
