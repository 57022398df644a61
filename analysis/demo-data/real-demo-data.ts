import type { Timeframe } from "../../core/index.ts";
import type { DemoSymbol } from "./calibration-figures.ts";

/** One real file the demo imports (path relative to the data folder); bars when `timeframe` is set, else ticks. */
export interface RealDemoPiece {
  file: string;
  timeframe?: Timeframe;
  /** Larger timeframes built from these bars. */
  resample?: readonly Timeframe[];
  fromMs?: number;
  toMs?: number;
  maxRows?: number;
  tz?: string;
}

const FROM_2016 = Date.UTC(2016, 0, 1);
/** The first trading day of the OANDA tick files (1 May 2014). */
const TICKS_TO = Date.UTC(2014, 4, 2);

/**
 * What the demo imports from ../shared/data: a few years of H1 (with H4 and D1 from it), a few weeks of M1
 * (with M5–M30 from it) and ticks where the data has them. See ../shared/data/INDEX.md §1 for the files.
 */
export const REAL_DEMO_DATA: Readonly<Record<DemoSymbol, readonly RealDemoPiece[]>> = {
  EURUSD: [
    { file: "prices/lean/oanda_eurusd_h1_bidask.csv.gz", timeframe: "H1", resample: ["H4", "D1"], fromMs: FROM_2016 },
    { file: "prices/lean/oanda_eurusd_m1_bidask.csv.gz", timeframe: "M1", resample: ["M5", "M15", "M30"] },
    { file: "prices/lean/oanda_eurusd_tick_bidask.csv.gz", toMs: TICKS_TO },
  ],
  GBPUSD: [
    { file: "prices/mt4_export_tianyeshiye/GBPUSDH1.csv.gz", timeframe: "H1", resample: ["H4", "D1"] },
    { file: "prices/nautilus/fxcm_gbpusd-m1-bid-2012.csv", timeframe: "M1", resample: ["M5", "M15", "M30"] },
  ],
  USDJPY: [
    { file: "prices/mt4_export_tianyeshiye/USDJPYH1.csv.gz", timeframe: "H1", resample: ["H4", "D1"] },
    { file: "prices/nautilus/fxcm_usdjpy-m1-bid-2013.csv", timeframe: "M1", resample: ["M5", "M15", "M30"] },
    { file: "prices/nautilus/truefx_usdjpy-ticks.csv" },
  ],
  XAUUSD: [
    { file: "prices/lean/oanda_xauusd_h1_bidask.csv.gz", timeframe: "H1", resample: ["H4", "D1"], fromMs: FROM_2016 },
    { file: "prices/lean/oanda_xauusd_m1_bidask.csv.gz", timeframe: "M1", resample: ["M5", "M15", "M30"] },
    { file: "prices/lean/oanda_xauusd_tick_bidask.csv.gz", toMs: TICKS_TO, maxRows: 60_000 },
  ],
};
