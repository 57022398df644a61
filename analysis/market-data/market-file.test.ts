import { describe, expect, it } from "vitest";
import { RiskloopError } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { readBarFile, readTickFile, type ReadMarketFileOptions } from "./market-file.ts";
import { writeSample } from "./write-sample.ts";

const utc = (s: string) => Date.parse(`${s}Z`);
const price = (p: string) => ["prices", ...p.split("/")];

async function failure(run: () => Promise<unknown>): Promise<RiskloopError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof RiskloopError) return e;
    throw e;
  }
  throw new Error("expected a RiskloopError");
}

describe("hand-written samples of each format", () => {
  it("MT4 history CSV: header-less, broker time (default New York close, UTC+2 in January)", async () => {
    const file = writeSample("EURUSD1.csv", ["2024.01.02,00:00,1.10420,1.10450,1.10400,1.10430,120", "2024.01.02,00:01,1.10430,1.10460,1.10425,1.10455,98"]);
    const { bars, report } = await readBarFile(file);
    expect(report.format).toBe("mt4");
    expect(report.timeZone).toMatch(/^nyclose/);
    expect(Array.from(bars.time)).toEqual([utc("2024-01-01T22:00:00"), utc("2024-01-01T22:01:00")]);
    expect([bars.open[1], bars.high[1], bars.low[1], bars.close[1], bars.volume[1]]).toEqual([1.1043, 1.1046, 1.10425, 1.10455, 98]);
    const shifted = await readBarFile(file, { tz: "+03:00" });
    expect(shifted.bars.time[0]).toBe(utc("2024-01-01T21:00:00"));
  });

  it("MT5 bar export: tab-separated, <SPREAD> in points of the prices' last decimal", async () => {
    const file = writeSample("XAUUSD_M1.csv", [
      "<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>",
      "2024.07.01\t00:00:00\t2330.51\t2331.20\t2329.80\t2330.95\t412\t0\t18",
      "2024.07.01\t00:01:00\t2330.95\t2331.40\t2330.10\t2331.02\t388\t0\t21",
    ]);
    const { bars, report } = await readBarFile(file);
    expect(report.format).toBe("mt5-bars");
    expect(bars.time[0]).toBe(utc("2024-06-30T21:00:00"));
    expect(bars.spread[0]).toBeCloseTo(0.18, 12);
    expect(bars.volume[1]).toBe(388);
  });

  it("MT5 tick export: empty BID/ASK cells carry the last quote forward; repeated times get seq 0, 1", async () => {
    const file = writeSample("EURUSD_ticks.csv", [
      "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>",
      "2024.07.01\t09:00:00.120\t1.07120\t1.07130\t\t\t6",
      "2024.07.01\t09:00:00.120\t\t1.07131\t\t\t4",
      "2024.07.01\t09:00:00.480\t1.07118\t\t\t\t2",
    ]);
    const { ticks, report } = await readTickFile(file, { tz: "+03:00" });
    expect(report.format).toBe("mt5-ticks");
    expect(Array.from(ticks.time)).toEqual([utc("2024-07-01T06:00:00.120"), utc("2024-07-01T06:00:00.120"), utc("2024-07-01T06:00:00.480")]);
    expect(Array.from(ticks.seq)).toEqual([0, 1, 0]);
    expect(Array.from(ticks.bid)).toEqual([1.0712, 1.0712, 1.07118]);
    expect(Array.from(ticks.ask)).toEqual([1.0713, 1.07131, 1.07131]);
  });

  it("HistData ASCII M1 and ticks: EST, fixed UTC−5 even in summer", async () => {
    const m1 = await readBarFile(writeSample("DAT_ASCII_EURUSD_M1.csv", ["20170703 170000;1.141370;1.141470;1.141370;1.141450;0", "20170703 170100;1.141450;1.141500;1.141400;1.141420;0"]));
    expect(m1.report.format).toBe("histdata-m1");
    expect(m1.bars.time[0]).toBe(utc("2017-07-03T22:00:00"));
    const ticks = await readTickFile(writeSample("DAT_ASCII_EURUSD_T.csv", ["20200101 170000065,1.121200,1.121720,0", "20200101 170010447,1.121200,1.121920,0"]));
    expect(ticks.report.format).toBe("histdata-ticks");
    expect(ticks.ticks.time[0]).toBe(utc("2020-01-01T22:00:00.065"));
  });

  it("Dukascopy ticks: ask before bid, volumes kept, UTC; gzip read transparently", async () => {
    const file = writeSample("EURUSD_Ticks.csv.gz", ["Time (UTC),Ask,Bid,AskVolume,BidVolume", "01.07.2024 00:00:00.123,1.07135,1.07125,1.5,2.25", "01.07.2024 00:00:01.007,1.07136,1.07126,0.75,1"]);
    const { ticks, report } = await readTickFile(file);
    expect(report.format).toBe("dukascopy-ticks");
    expect(ticks.time[0]).toBe(utc("2024-07-01T00:00:00.123"));
    expect([ticks.bid[0], ticks.ask[0], ticks.bidVolume[0], ticks.askVolume[0]]).toEqual([1.07125, 1.07135, 2.25, 1.5]);
  });

  it("generic CSV: columns by name, ';' separator, bid/ask sides, a symbol column", async () => {
    const file = writeSample("gold.csv", ["Date;Symbol;Open;High;Low;Close;Volume", "2004.06.11 00:00;XAUUSD;384;384.8;382.8;384.1;272", "2004.06.14 00:00;XAU/USD;384.3;385.8;381.8;382.8;1902"]);
    const { bars, report } = await readBarFile(file, { symbol: "XAUUSD" });
    expect(report.format).toBe("csv");
    expect(Array.from(bars.close)).toEqual([384.1, 382.8]);
    const sides = writeSample("bidask.csv", ["time_utc,bid_open,bid_high,bid_low,bid_close,ask_open,ask_high,ask_low,ask_close", "2014-05-01 00:00,1.38676,1.38686,1.38669,1.38686,1.38686,1.38697,1.38680,1.38697"]);
    const bid = await readBarFile(sides);
    const ask = await readBarFile(sides, { price: "ask" });
    const mid = await readBarFile(sides, { price: "mid" });
    expect([bid.bars.close[0], ask.bars.close[0]]).toEqual([1.38686, 1.38697]);
    expect(mid.bars.close[0]).toBeCloseTo(1.386915, 12);
    expect(bid.bars.spread[0]).toBeCloseTo(0.00011, 12);
  });
});

describe("bad input stops with the file, line and reason; --skip-bad counts instead", () => {
  const HEADER = "time,open,high,low,close,volume";
  const GOOD = ["2024-01-02 10:00,1.1,1.2,1.0,1.1,5", "2024-01-02 10:01,1.1,1.2,1.0,1.1,5"];
  const cases: [string, string, RegExp, ReadMarketFileOptions?][] = [
    ["malformed row", "2024-01-02 10:02,1.1,1.2", /malformed \(expected 6 fields/],
    ["unreadable time", "2024-01-02 25:02,1.1,1.2,1.0,1.1,5", /malformed \(unreadable time\)/],
    ["price not a number", "2024-01-02 10:02,1.1,abc,1.0,1.1,5", /malformed \(price is not a number\)/],
    ["zero price", "2024-01-02 10:02,0,1.2,1.0,1.1,5", /non-positive price/],
    ["negative price", "2024-01-02 10:02,1.1,1.2,-1.0,1.1,5", /non-positive price/],
    ["high below low", "2024-01-02 10:02,1.1,1.0,1.2,1.1,5", /high below low/],
    ["close above high", "2024-01-02 10:02,1.1,1.2,1.0,1.3,5", /open\/close outside high-low/],
    ["duplicated timestamp", "2024-01-02 10:01,1.1,1.2,1.0,1.1,5", /duplicate timestamp \(2024-01-02T10:01/],
    ["unsorted timestamp", "2024-01-02 09:59,1.1,1.2,1.0,1.1,5", /out of order \(2024-01-02T09:59:00\.000Z, back from 2024-01-02T10:01/],
    ["bars closer than the timeframe", "2024-01-02 10:02,1.1,1.2,1.0,1.1,5", /spacing below timeframe/, { timeframe: "H1" }],
  ];
  it.each(cases)("%s", async (_name, bad, reason, opts) => {
    const file = writeSample("bad.csv", [HEADER, ...GOOD, bad]);
    const at = opts?.timeframe ? 3 : 4;
    const err = await failure(() => readBarFile(file, opts));
    expect(err.code).toBe("MKT_ERR_BAD_ROW");
    expect(err.message).toMatch(reason);
    expect(err.message.startsWith(`${file}:${at}: `)).toBe(true);
    expect(err.details).toMatchObject({ file, line: at });
  });

  it("rejects rows of another symbol", async () => {
    const file = writeSample("mixed.csv", ["time,symbol,open,high,low,close", "2024-01-02 10:00,EURUSD,1.1,1.2,1.0,1.1", "2024-01-02 10:01,GBPUSD,1.3,1.4,1.2,1.3"]);
    const err = await failure(() => readBarFile(file, { symbol: "EURUSD" }));
    expect(err.message).toMatch(/:3: symbol mismatch \(GBPUSD, expected EURUSD\)/);
  });

  it("rejects a file in another format than requested, or in none, and bars asked of a tick file", async () => {
    const mt4 = writeSample("mt4.csv", ["2024.01.02,00:00,1.10420,1.10450,1.10400,1.10430,120"]);
    const wrong = await failure(() => readBarFile(mt4, { format: "histdata-m1" }));
    expect(wrong.code).toBe("MKT_ERR_FORMAT");
    expect(wrong.message).toMatch(/mt4\.csv:1: not a histdata-m1 file: malformed/);
    const junk = await failure(() => readBarFile(writeSample("junk.csv", ["12 34 56", "78 90"])));
    expect(junk.message).toMatch(/:1: unrecognised market-data format/);
    const noColumns = await failure(() => readBarFile(writeSample("nocols.csv", ["time,foo,bar", "2024-01-02 10:00,1,2"])));
    expect(noColumns.message).toMatch(/neither open\/high\/low\/close nor bid\/ask/);
    const ticks = writeSample("t.csv", ["time,bid,ask", "2024-01-02 10:00:00.1,1.1,1.2"]);
    expect((await failure(() => readBarFile(ticks))).message).toMatch(/holds ticks \(csv\), not bars/);
  });

  it("skips and counts every bad row by reason, keeping the good ones", async () => {
    const file = writeSample("many.csv", [
      HEADER,
      ...GOOD,
      "2024-01-02 10:01,1.1,1.2,1.0,1.1,5",
      "2024-01-02 10:00,1.1,1.2,1.0,1.1,5",
      "2024-01-02 09:00,1.1,1.2,1.0,1.1,5",
      "2024-01-02 10:02,0,1.2,1.0,1.1,5",
      "2024-01-02 10:03,1.1",
      "2024-01-02 10:04,1.1,1.2,1.0,1.1,5",
    ]);
    const { bars, report } = await readBarFile(file, { skipBad: true });
    expect(bars.time.length).toBe(3);
    expect(report.rowsRead).toBe(8);
    expect(report.badRows).toEqual({ "duplicate timestamp": 2, "out of order": 1, "non-positive price": 1, malformed: 1 });
    expect(report.badSamples[0]).toMatchObject({ line: 4 });
  });

  it("keeps crossed quotes (ask < bid) and counts them", async () => {
    const file = writeSample("crossed.csv", ["time_utc,bid,ask", "2014-05-01 05:00:01.787,1.38727,1.38729", "2014-05-01 05:00:01.813,1.38727,1.38726"]);
    const { ticks, report } = await readTickFile(file);
    expect(ticks.time.length).toBe(2);
    expect(report.crossedQuotes).toBe(1);
  });
});

describeIfData(hasSharedData("prices"), "real files from ../shared/data (slices)", () => {
  const real = (p: string) => sharedDataPath(...price(p));

  it("MT5 export with spread points (XAUUSD M1, broker time UTC+2 in February)", async () => {
    const { bars, report } = await readBarFile(real("mt5_export_xauusd_sujayjamdade01/XAUUSD_M1_202602160207_202602272357_jan_feb.csv.gz"), { maxRows: 500 });
    expect(report.format).toBe("csv");
    expect(bars.time[0]).toBe(utc("2026-02-16T00:07:00"));
    expect([bars.open[0], bars.close[0], bars.volume[0]]).toEqual([5010.5, 5014.77, 271]);
    expect(bars.spread[0]).toBeCloseTo(0.19, 12);
  });

  it("OANDA bid/ask M1 (UTC): bid OHLC with the close spread", async () => {
    const { bars } = await readBarFile(real("lean/oanda_eurusd_m1_bidask.csv.gz"), { maxRows: 1000 });
    expect(bars.time[0]).toBe(utc("2014-05-01T00:00:00"));
    expect(bars.close[0]).toBe(1.38686);
    expect(bars.spread[0]).toBeCloseTo(0.00011, 12);
    expect(bars.time.length).toBe(1000);
  });

  it("HistData EURUSD M1 reformatted (datetime_est): EST to UTC", async () => {
    const { bars, report } = await readBarFile(real("histdata_btgym/histdata_eurusd_m1_2017H1_est.csv.gz"), { maxRows: 100 });
    expect(report.timeZone).toMatch(/EST/);
    expect(bars.time[0]).toBe(utc("2017-01-02T07:00:00"));
  });

  it("HistData ticks (header-less, EST), every one of the 9,500", async () => {
    const { ticks, report } = await readTickFile(real("nautilus/quote_tick_data.csv"));
    expect(report.format).toBe("histdata-ticks");
    expect(ticks.time.length).toBe(9500);
    expect(ticks.time[0]).toBe(utc("2020-01-01T22:00:00.065"));
    expect(ticks.time[9499]).toBe(utc("2020-01-02T04:00:52.125"));
  });

  it("TrueFX ticks with +00:00 suffixes keep repeated timestamps in order with seq", async () => {
    const { ticks } = await readTickFile(real("nautilus/truefx_usdjpy-ticks.csv"));
    expect(ticks.time.length).toBe(1000);
    let repeats = 0;
    for (let i = 1; i < 1000; i++) if (ticks.time[i] === ticks.time[i - 1]) repeats++;
    expect(repeats).toBe(7);
    expect(Math.max(...ticks.seq)).toBeGreaterThanOrEqual(1);
  });

  it("FXCM ticks: crossed quotes are real and counted", async () => {
    const { ticks, report } = await readTickFile(real("lean/fxcm_eurusd_tick_bidask.csv.gz"), { maxRows: 20_000 });
    expect(ticks.time.length).toBe(20_000);
    expect(report.crossedQuotes).toBeGreaterThan(200);
  });

  it.each([
    ["xauusd_d1_scalpguru/XAU_1d_data.csv", utc("2004-06-11T00:00:00")],
    ["gym_anytrading/FOREX_EURUSD_1H_ASK_2017.csv", utc("2017-01-01T22:00:00")],
    ["backtesting_py/EURUSD_H1_2017-04_2018-02.csv", utc("2017-04-19T09:00:00")],
    ["nautilus/fxcm_gbpusd-m1-bid-2012.csv", utc("2012-02-01T00:00:00")],
    ["mt4_export_tianyeshiye/EURUSDH1.csv.gz", utc("2016-01-19T16:00:00")],
  ])("reads %s", async (p, first) => {
    const { bars } = await readBarFile(real(p), { maxRows: 200 });
    expect(bars.time[0]).toBe(first);
    expect(bars.time.length).toBe(200);
  });

  it("the duplicated MT5 M5 file: strict mode stops at the first step backwards; --skip-bad keeps 49,802 unique bars", async () => {
    const file = real("mt5_export_hadiforoughi/EURUSD_M5.csv.gz");
    const err = await failure(() => readBarFile(file, { timeframe: "M5" }));
    expect(err.message).toMatch(/EURUSD_M5\.csv\.gz:33423: duplicate timestamp \(2021-12-03T15:30:00\.000Z, back from 2021-12-03T16:10:00\.000Z\)/);
    const { bars, report } = await readBarFile(file, { timeframe: "M5", skipBad: true });
    expect(bars.time.length).toBe(49_802);
    expect(report.rowsRead).toBe(50_000);
    expect(report.badRows).toEqual({ "duplicate timestamp": 198 });
  });
});
