import { Option, type Command } from "commander";
import cliProgress from "cli-progress";
import { invalid, RiskloopError, TIMEFRAMES, type Timeframe } from "../../core/index.ts";
import {
  importCandles,
  INDICATOR_COLUMNS,
  importTicks,
  MARKET_FORMATS,
  NEW_YORK_CLOSE,
  readBarFile,
  UTC_MIDNIGHT,
  writeIndicatorCsv,
  type ImportOptions,
  type ImportReport,
  type MarketFormat,
  type PriceSide,
} from "../../analysis/market-data/index.ts";
import type { Database } from "../../prisma/index.ts";

/** What the market-data commands need from the application. */
export interface MarketDataCommandDeps {
  /** Opens the database (the lead passes `buildContainer`); closed when the command ends. */
  buildContainer: () => Promise<{ db: Database; close(): Promise<void> }>;
  /** @defaultValue process.stdout */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /** @defaultValue process.stderr */
  err?: NodeJS.WritableStream;
  /** Sets the process exit code on failure. @defaultValue sets process.exitCode */
  setExitCode?: (code: number) => void;
}

interface FileOptions {
  format?: MarketFormat;
  tz?: string;
  skipBad?: boolean;
  price?: PriceSide;
  pointSize?: number;
  from?: string;
  to?: string;
  json?: boolean;
}

const TZ_HELP =
  "time zone of the file's times: UTC, an offset (+02:00), EST, an IANA zone (Etc/GMT-2) or nyclose (New York + 7 h, UTC+2/+3); default: the format's documented zone (MetaTrader: nyclose, HistData: EST, others UTC)";

function withFileOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--format <format>", "file format (default: detected)").choices(MARKET_FORMATS))
    .option("--tz <zone>", TZ_HELP)
    .option("--skip-bad", "skip and count bad rows instead of stopping at the first")
    .addOption(new Option("--price <side>", "side of bid/ask bar files to store").choices(["bid", "ask", "mid"]).default("bid"))
    .option("--point-size <units>", "price units per spread point (MT5 <SPREAD>); default from the prices' decimals", Number)
    .option("--from <time>", "keep rows from this UTC time (ISO 8601)")
    .option("--to <time>", "keep rows before this UTC time (ISO 8601)")
    .option("--json", "print the summary as JSON");
}

function readOptions(opts: FileOptions): Omit<ImportOptions, "symbol" | "onProgress"> {
  const time = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw invalid(`--${name}`, `"${v}" is not an ISO 8601 time`);
    return t;
  };
  return { format: opts.format, tz: opts.tz, skipBad: opts.skipBad, price: opts.price, pointSize: opts.pointSize, fromMs: time(opts.from, "from"), toMs: time(opts.to, "to") };
}

/** The summary a person reads after an import. */
export function formatImportReport(r: ImportReport): string {
  const bad = Object.entries(r.badRows);
  const lines = [
    `${r.file}`,
    `  format ${r.format} (${r.kind}), symbol ${r.symbol}${r.timeframe ? ` ${r.timeframe}` : ""}, times read as ${r.timeZone} [${r.timeZoneSource}]`,
    `  rows read ${r.rowsRead}, inserted ${r.inserted}, already stored ${r.duplicatesSkipped}${r.outsideRange ? `, outside range ${r.outsideRange}` : ""}`,
    `  bad rows skipped: ${bad.length === 0 ? "none" : bad.map(([k, v]) => `${k} ${v}`).join(", ")}`,
    ...r.badSamples.map((s) => `    line ${s.line}: ${s.reason}`),
    ...(r.crossedQuotes ? [`  crossed quotes (ask < bid, kept): ${r.crossedQuotes}`] : []),
    `  time range ${r.from ?? "-"} → ${r.to ?? "-"} (UTC), ${r.seconds.toFixed(2)} s`,
    ...(r.resampled ?? []).map((x) => `  resampled ${x.timeframe}: ${x.bars} bars, inserted ${x.inserted}`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Adds `import candles`, `import ticks` and `indicators` to the CLI. Errors (a bad row, an unknown format)
 * are printed with the file and line, and the process exits 2; nothing from a failing file is stored.
 */
export function registerMarketDataCommands(program: Command, deps: MarketDataCommandDeps): void {
  const out = deps.out ?? process.stdout;
  const err = deps.err ?? process.stderr;
  const setExitCode = deps.setExitCode ?? ((code: number) => void (process.exitCode = code));

  const guarded = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof RiskloopError)) throw e;
      err.write(`riskloop: ${e.message}\n`);
      setExitCode(e.kind === "invalid" ? 2 : 1);
    }
  };

  const runImport = async (opts: FileOptions, fn: (db: Database, progress: ImportOptions["onProgress"]) => Promise<ImportReport>) => {
    const container = await deps.buildContainer();
    const bar = out.isTTY && !opts.json ? new cliProgress.SingleBar({ stream: err, format: "importing [{bar}] {percentage}% | {value}/{total} bytes" }, cliProgress.Presets.shades_classic) : undefined;
    try {
      const progress: ImportOptions["onProgress"] = bar
        ? (bytes, total) => {
            if (bar.getTotal() !== total) bar.start(total, 0);
            bar.update(bytes);
          }
        : undefined;
      const report = await fn(container.db, progress);
      bar?.stop();
      out.write(opts.json ? `${JSON.stringify(report)}\n` : formatImportReport(report));
    } finally {
      bar?.stop();
      await container.close();
    }
  };

  const imports = program.command("import").description("Import market data files (MT4, MT5, HistData, Dukascopy, CSV; .gz too)");

  withFileOptions(
    imports
      .command("candles")
      .description("Import bars of one symbol and timeframe; a bad row stops the import and nothing is stored")
      .argument("<file>", "bar file")
      .requiredOption("--symbol <symbol>", "symbol, e.g. EURUSD")
      .addOption(new Option("--timeframe <tf>", "timeframe of the bars").choices(TIMEFRAMES).default("M1")),
  ).action((file: string, opts: FileOptions & { symbol: string; timeframe: Timeframe }) =>
    guarded(() => runImport(opts, (db, onProgress) => importCandles(db, file, { ...readOptions(opts), symbol: opts.symbol, timeframe: opts.timeframe, onProgress }))),
  );

  withFileOptions(
    imports
      .command("ticks")
      .description("Import quotes of one symbol, optionally resampled into bars")
      .argument("<file>", "tick file")
      .requiredOption("--symbol <symbol>", "symbol, e.g. EURUSD")
      .option("--resample [timeframes]", "also store bars built from the ticks (comma-separated; default all: M1,…,D1)")
      .addOption(new Option("--resample-price <price>", "price of resampled bars").choices(["bid", "mid"]).default("bid"))
      .addOption(new Option("--day-start <start>", "start of resampled D1 bars").choices(["utc", "nyclose"]).default("utc")),
  ).action((file: string, opts: FileOptions & { symbol: string; resample?: string | boolean; resamplePrice: "bid" | "mid"; dayStart: "utc" | "nyclose" }) =>
    guarded(() => {
      const resample = opts.resample === undefined ? undefined : opts.resample === true ? TIMEFRAMES : parseTimeframes(opts.resample as string);
      return runImport(opts, (db, onProgress) =>
        importTicks(db, file, {
          ...readOptions(opts),
          symbol: opts.symbol,
          resample,
          resamplePrice: opts.resamplePrice,
          dayStart: opts.dayStart === "nyclose" ? NEW_YORK_CLOSE : UTC_MIDNIGHT,
          onProgress,
        }),
      );
    }),
  );

  withFileOptions(
    program
      .command("indicators")
      .description("Write a bar file's columns plus SMA, EMA, RSI, ATR, NATR, MACD, Bollinger, ADX and Stochastic (TA-Lib defaults)")
      .argument("<file>", "bar file in any supported format")
      .requiredOption("--out <file>", "CSV to write"),
  ).action((file: string, opts: FileOptions & { out: string }) =>
    guarded(async () => {
      const started = performance.now();
      const { bars, report } = await readBarFile(file, readOptions(opts));
      const rows = await writeIndicatorCsv(bars, opts.out);
      const summary = { file, out: opts.out, format: report.format, timeZone: report.timeZone, rowsRead: report.rowsRead, rowsWritten: rows, badRows: report.badRows, seconds: (performance.now() - started) / 1000 };
      out.write(opts.json ? `${JSON.stringify(summary)}\n` : `${file} → ${opts.out}: ${rows} bars with ${INDICATOR_COLUMNS.length} indicator columns (${report.format}, ${report.timeZone}) in ${summary.seconds.toFixed(2)} s\n`);
    }),
  );
}

function parseTimeframes(list: string): Timeframe[] {
  const wanted = list.split(",").map((s) => s.trim().toUpperCase());
  const bad = wanted.filter((tf) => !(TIMEFRAMES as readonly string[]).includes(tf));
  if (bad.length > 0) throw invalid("--resample", `unknown timeframe ${bad.join(", ")} (use ${TIMEFRAMES.join(", ")})`);
  return wanted as Timeframe[];
}
