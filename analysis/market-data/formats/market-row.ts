/** Formats the importer reads; `csv` is any delimited file with a header naming its columns. */
export const MARKET_FORMATS = ["mt4", "mt5-bars", "mt5-ticks", "histdata-m1", "histdata-ticks", "dukascopy-ticks", "csv"] as const;
export type MarketFormat = (typeof MARKET_FORMATS)[number];

/** Which side of a bid/ask bar file becomes the stored OHLC. */
export type PriceSide = "bid" | "ask" | "mid";

/** One parsed line, reused for every row of a file (the hot loop allocates nothing per row). */
export interface MarketRow {
  /** Wall-clock ms as if UTC, or true UTC when `zoned` (the text carried its own offset). */
  time: number;
  zoned: boolean;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Spread at the bar's close in price units; NaN when the file has none. */
  spread: number;
  bid: number;
  ask: number;
  bidVolume: number;
  askVolume: number;
  /** True when a bid/ask bar closed crossed (ask below bid). */
  crossed: boolean;
  /** The row's symbol when the file has a symbol column. */
  symbol: string | undefined;
}

/** Parses one line into `row`; returns null, or the reason the line is bad (`reason (detail)`). */
export type LineParser = (line: string, row: MarketRow) => string | null;

/** A format prepared for one file from its first lines. */
export interface PreparedFormat {
  format: MarketFormat;
  kind: "bars" | "ticks";
  /** Lines before the first data line. */
  headerLines: number;
  /** The zone the format documents, used when `--tz` is not given. */
  defaultTz: string;
  parse: LineParser;
}

export function newRow(): MarketRow {
  const nan = Number.NaN;
  return { time: nan, zoned: false, open: nan, high: nan, low: nan, close: nan, volume: 0, spread: nan, bid: nan, ask: nan, bidVolume: nan, askVolume: nan, crossed: false, symbol: undefined };
}

/** A cell as a number; empty or non-numeric cells are NaN (Number("") would be 0). */
export function num(cell: string | undefined): number {
  return cell === undefined || cell === "" ? Number.NaN : Number(cell);
}
