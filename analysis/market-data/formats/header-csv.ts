import { RiskloopError } from "../../../core/index.ts";
import { MarketDataErrors } from "../market-data.errors.ts";
import { NY_CLOSE } from "./time-zone.ts";
import { num, type MarketFormat, type MarketRow, type PreparedFormat, type PriceSide } from "./market-row.ts";
import { hasZoneSuffix, parseDateAndTime, parseTimestamp } from "./timestamp.ts";

/** Options for files with a header row. */
export interface HeaderCsvOptions {
  price: PriceSide;
  /** Price units per spread point; inferred from the prices' decimals when absent. */
  pointSize?: number;
  /** Symbol the rows must carry when the file has a symbol column. */
  symbol?: string;
}

/** `Time (UTC)` → `time_utc`, `<TICKVOL>` → `tickvol`, `Bid Open` → `bid_open`. */
export function normaliseColumn(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** Tab, semicolon or comma, whichever splits the header into the most cells. */
export function delimiterOf(header: string): string {
  if (header.includes("\t")) return "\t";
  return header.split(";").length > header.split(",").length ? ";" : ",";
}

const TIME_NAME = /^(time|date|datetime|date_time|timestamp|gmt_time|local_time)(_|$)/;
const SYMBOL_NAMES = ["symbol", "ticker", "instrument", "pair"];
const VOLUME_NAMES = ["volume", "tick_volume", "tickvol", "vol", "real_volume"];

function formatError(message: string): RiskloopError {
  return new RiskloopError(MarketDataErrors.MKT_ERR_FORMAT, message);
}

/** The zone a time column's name states (`time_utc`, `datetime_est`, `datetime_broker`), or undefined. */
function zoneFromName(name: string): string | undefined {
  if (/(^|_)(utc|gmt)(_|$)/.test(name)) return "UTC";
  if (/(^|_)est(_|$)/.test(name)) return "EST";
  if (/(^|_)(broker|server)(_|$)/.test(name)) return NY_CLOSE;
  return undefined;
}

/** Decimals of the most precise price in the sample: a spread point is one unit of the last digit. */
function inferPointSize(sample: string[][], columns: number[]): number {
  let decimals = 0;
  for (const cells of sample) {
    for (const c of columns) {
      const cell = cells[c] ?? "";
      const dot = cell.indexOf(".");
      if (dot >= 0) decimals = Math.max(decimals, cell.length - dot - 1);
    }
  }
  return 10 ** -decimals;
}

function sameSymbol(a: string, b: string): boolean {
  return a.replace(/[^a-z0-9]/gi, "").toUpperCase() === b.replace(/[^a-z0-9]/gi, "").toUpperCase();
}

/**
 * Prepares a delimited file with a header: the generic `csv` (columns recognised by name), MetaTrader 5's
 * tab-separated bar and tick exports (`<DATE> <TIME> …`) and Dukascopy's tick CSV. Throws MKT_ERR_FORMAT
 * when the header lacks the columns a bar or tick file needs.
 */
export function prepareHeaderCsv(format: MarketFormat, header: string, sampleLines: string[], opts: HeaderCsvOptions): PreparedFormat {
  const delim = delimiterOf(header);
  const quoted = header.includes('"');
  const names = header.split(delim).map(normaliseColumn);
  const at = (...candidates: string[]): number => {
    for (const c of candidates) {
      const i = names.indexOf(c);
      if (i >= 0) return i;
    }
    return -1;
  };
  const split = (line: string): string[] => (quoted ? line.replaceAll('"', "") : line).split(delim);
  const sample = sampleLines.map(split);

  const dateCol = at("date");
  const clockCol = at("time");
  const twoCells = dateCol >= 0 && clockCol >= 0;
  const timeCol = twoCells ? dateCol : names[0] === "" ? 0 : names.findIndex((n) => TIME_NAME.test(n));
  if (timeCol < 0) throw formatError(`header "${header.slice(0, 120)}" names no time column (time, date, datetime or timestamp)`);
  const firstTime = sample[0]?.[timeCol] ?? "";
  const zoned = !twoCells && hasZoneSuffix(firstTime);
  const defaultTz = format.startsWith("mt5") ? NY_CLOSE : (zoneFromName(names[timeCol]!) ?? "UTC");
  const readTime = twoCells
    ? (cells: string[]) => parseDateAndTime(cells[dateCol] ?? "", cells[clockCol] ?? "")
    : (cells: string[]) => parseTimestamp(cells[timeCol] ?? "");

  const symbolCol = at(...SYMBOL_NAMES);
  const wanted = opts.symbol;
  const bidCol = at("bid");
  const askCol = at("ask");
  const ohlc = (prefix: string) => ["open", "high", "low", "close"].map((f) => at(`${prefix}_${f}`, `${prefix}${f}`, `${f}_${prefix}`));
  const plain = ["open", "high", "low", "close"].map((f) => at(f, f[0]!));
  const bidBars = ohlc("bid");
  const askBars = ohlc("ask");
  const has = (cols: number[]) => cols.every((c) => c >= 0);
  const kind = has(plain) || has(bidBars) || has(askBars) ? "bars" : bidCol >= 0 && askCol >= 0 ? "ticks" : undefined;
  if (!kind) throw formatError(`header "${header.slice(0, 120)}" has neither open/high/low/close nor bid/ask columns`);
  const minCells = names.length;
  const common = (cells: string[], row: MarketRow): string | null => {
    if (cells.length < minCells) return `malformed (expected ${minCells} fields, got ${cells.length})`;
    row.time = readTime(cells);
    row.zoned = zoned;
    if (symbolCol >= 0) {
      row.symbol = cells[symbolCol];
      if (wanted && !sameSymbol(row.symbol ?? "", wanted)) return `symbol mismatch (${row.symbol}, expected ${wanted})`;
    }
    return null;
  };

  if (kind === "ticks") {
    const bidVol = at("bid_volume", "bidvolume");
    const askVol = at("ask_volume", "askvolume");
    // MT5 tick exports leave BID or ASK empty when only the other side changed.
    const carry = format === "mt5-ticks";
    let lastBid = Number.NaN;
    let lastAsk = Number.NaN;
    return {
      format,
      kind,
      headerLines: 1,
      defaultTz,
      parse(line, row) {
        const cells = split(line);
        const bad = common(cells, row);
        if (bad) return bad;
        row.bid = num(cells[bidCol]);
        row.ask = num(cells[askCol]);
        if (carry) {
          if (cells[bidCol] === "") row.bid = lastBid;
          if (cells[askCol] === "") row.ask = lastAsk;
          if (Number.isNaN(row.bid) || Number.isNaN(row.ask)) return "missing quote (no earlier bid or ask to carry forward)";
          lastBid = row.bid;
          lastAsk = row.ask;
        }
        row.bidVolume = bidVol >= 0 ? num(cells[bidVol]) : Number.NaN;
        row.askVolume = askVol >= 0 ? num(cells[askVol]) : Number.NaN;
        return null;
      },
    };
  }

  const bothSides = has(bidBars) && has(askBars);
  const side = has(plain) ? plain : opts.price === "ask" || !has(bidBars) ? askBars : bidBars;
  const mid = opts.price === "mid" && bothSides && !has(plain);
  const [o, h, l, c] = side as [number, number, number, number];
  const volumeCol = at(...VOLUME_NAMES);
  const pointsCol = format === "mt5-bars" ? at("spread") : at("spread_points");
  const priceCol = pointsCol < 0 ? at("spread") : -1;
  const pointSize = pointsCol >= 0 ? (opts.pointSize ?? inferPointSize(sample.slice(0, 200), side)) : 0;
  return {
    format,
    kind,
    headerLines: 1,
    defaultTz,
    parse(line, row) {
      const cells = split(line);
      const bad = common(cells, row);
      if (bad) return bad;
      if (mid) {
        row.open = (num(cells[bidBars[0]!]) + num(cells[askBars[0]!])) / 2;
        row.high = (num(cells[bidBars[1]!]) + num(cells[askBars[1]!])) / 2;
        row.low = (num(cells[bidBars[2]!]) + num(cells[askBars[2]!])) / 2;
        row.close = (num(cells[bidBars[3]!]) + num(cells[askBars[3]!])) / 2;
      } else {
        row.open = num(cells[o]);
        row.high = num(cells[h]);
        row.low = num(cells[l]);
        row.close = num(cells[c]);
      }
      row.volume = volumeCol >= 0 && cells[volumeCol] !== "" ? num(cells[volumeCol]) : 0;
      if (bothSides) {
        row.spread = num(cells[askBars[3]!]) - num(cells[bidBars[3]!]);
        row.crossed = row.spread < 0;
      } else if (pointsCol >= 0) row.spread = num(cells[pointsCol]) * pointSize;
      else if (priceCol >= 0) row.spread = num(cells[priceCol]);
      return null;
    },
  };
}
