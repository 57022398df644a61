import { NY_CLOSE } from "./time-zone.ts";
import { num, type MarketRow, type PreparedFormat } from "./market-row.ts";
import { parseDateAndTime, parseTimestamp } from "./timestamp.ts";

/** MetaTrader 4 history export: `2024.01.02,13:00,1.1,1.2,1.0,1.1,345`, no header, broker time. */
export const MT4_LINE = /^\d{4}\.\d{2}\.\d{2},\d{2}:\d{2}(:\d{2})?,[\d.]+,/;
/** HistData.com ASCII M1: `20170102 020000;1.05155;1.05197;1.05155;1.0519;0`, EST. */
export const HISTDATA_M1_LINE = /^\d{8} \d{6};[\d.]+;/;
/** HistData.com ASCII ticks: `20200101 170000065,1.1212,1.12172,0`, EST. */
export const HISTDATA_TICK_LINE = /^\d{8} \d{9},[\d.]+,[\d.]+/;

function fields(line: string, sep: string, count: number): string[] | string {
  const cells = line.split(sep);
  return cells.length < count ? `malformed (expected ${count} fields separated by "${sep}", got ${cells.length})` : cells;
}

function bar(row: MarketRow, cells: string[], first: number): void {
  row.open = num(cells[first]);
  row.high = num(cells[first + 1]);
  row.low = num(cells[first + 2]);
  row.close = num(cells[first + 3]);
  row.volume = cells[first + 4] === undefined || cells[first + 4] === "" ? 0 : num(cells[first + 4]);
}

export function prepareMt4(): PreparedFormat {
  return {
    format: "mt4",
    kind: "bars",
    headerLines: 0,
    defaultTz: NY_CLOSE,
    parse(line, row) {
      const cells = fields(line, ",", 6);
      if (typeof cells === "string") return cells;
      row.time = parseDateAndTime(cells[0]!, cells[1]!);
      bar(row, cells, 2);
      return null;
    },
  };
}

export function prepareHistdataM1(): PreparedFormat {
  return {
    format: "histdata-m1",
    kind: "bars",
    headerLines: 0,
    defaultTz: "EST",
    parse(line, row) {
      const cells = fields(line, ";", 5);
      if (typeof cells === "string") return cells;
      row.time = parseTimestamp(cells[0]!);
      bar(row, cells, 1);
      return null;
    },
  };
}

export function prepareHistdataTicks(): PreparedFormat {
  return {
    format: "histdata-ticks",
    kind: "ticks",
    headerLines: 0,
    defaultTz: "EST",
    parse(line, row) {
      const cells = fields(line, ",", 3);
      if (typeof cells === "string") return cells;
      row.time = parseTimestamp(cells[0]!);
      row.bid = num(cells[1]);
      row.ask = num(cells[2]);
      return null;
    },
  };
}
