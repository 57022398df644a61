import { conventionalPipSize, notFound, systemClock, TIMEFRAME_MS, type Clock, type Timeframe } from "../../core/index.ts";
import type { Prisma, PrismaClient } from "../../prisma/index.ts";
import type { MarketDataReader } from "../market-data/index.ts";
import { analyse } from "./analyse.ts";
import type { AnalysisResult } from "./analysis-result.ts";
import { ANALYSIS_KINDS, sectionOf } from "./analysis-result.ts";
import { DEFAULT_CHART_PARAMS, type ChartParams } from "./chart.config.ts";

/** An analysis with how it was obtained. */
export interface StoredAnalysis {
  analysis: AnalysisResult;
  computedAt: number;
  /** True when the candles behind it were synthetic (demo or test data): never use it for live decisions. */
  synthetic: boolean;
  /** True when served from a stored row instead of being computed for this call. */
  cached: boolean;
}

export interface AnalysisServiceOptions {
  params?: ChartParams;
  clock?: Clock;
  /** Pip size per symbol, for prices in the sentences; defaults to core's `conventionalPipSize`. */
  pipSize?: (symbol: string) => number;
}

export interface RunOptions {
  /** Analyse the bars closed by this instant (default now). */
  at?: number;
  /**
   * Whether the candles are synthetic. The reader's candles do not carry the flag, so when this is left out
   * the stored candles in the analysed range are checked for it.
   */
  synthetic?: boolean;
}

function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

/**
 * Loads closed candles through the MarketDataReader, analyses them and stores one `AiAnalysis` row per kind
 * (TREND, LEVELS, PATTERNS, REGIME, SUMMARY). The SUMMARY row's `result` holds the whole analysis, so the
 * latest one can be served without recomputing.
 */
export class AnalysisService {
  readonly params: ChartParams;
  private readonly clock: Clock;
  private readonly pipSizeOf: (symbol: string) => number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly reader: MarketDataReader,
    opts: AnalysisServiceOptions = {},
  ) {
    this.params = opts.params ?? DEFAULT_CHART_PARAMS;
    this.clock = opts.clock ?? systemClock;
    this.pipSizeOf = opts.pipSize ?? conventionalPipSize;
  }

  /** Analyses the last closed bars and stores the rows. Throws `CORE_ERR_NOT_FOUND` when there are no bars. */
  async run(symbol: string, timeframe: Timeframe, opts: RunOptions = {}): Promise<StoredAnalysis> {
    const at = opts.at ?? this.clock.now();
    const candles = await this.reader.lastCandles(symbol, timeframe, at - TIMEFRAME_MS[timeframe] + 1, this.params.bars);
    if (candles.length === 0) throw notFound("candles", `${symbol} ${timeframe}`);
    const analysis = analyse(symbol, timeframe, candles, this.params, this.pipSizeOf(symbol));
    const lastOpen = candles.at(-1)!.time;
    const synthetic = opts.synthetic ?? (await this.anySynthetic(symbol, timeframe, analysis.dataFrom, lastOpen));
    const computedAt = this.clock.now();
    await this.prisma.aiAnalysis.createMany({
      data: ANALYSIS_KINDS.map((kind) => {
        const section = sectionOf(analysis, kind);
        return {
          symbol,
          timeframe,
          kind,
          result: json(kind === "SUMMARY" ? analysis : section.result),
          confidence: section.confidence,
          recommendations: json(section.recommendations),
          synthetic,
          dataFrom: new Date(analysis.dataFrom),
          dataTo: new Date(analysis.dataTo),
          computedAt: new Date(computedAt),
        };
      }),
    });
    return { analysis, computedAt, synthetic, cached: false };
  }

  /** The most recently stored analysis of `symbol` and `timeframe`, or null. */
  async latest(symbol: string, timeframe: Timeframe): Promise<StoredAnalysis | null> {
    const row = await this.prisma.aiAnalysis.findFirst({
      where: { symbol, timeframe, kind: "SUMMARY" },
      orderBy: { computedAt: "desc" },
    });
    if (!row) return null;
    return { analysis: row.result as unknown as AnalysisResult, computedAt: row.computedAt.getTime(), synthetic: row.synthetic, cached: true };
  }

  /**
   * The current analysis: the stored one when it is less than one bar old and no bar has closed since the
   * bars it used, otherwise a fresh run.
   */
  async current(symbol: string, timeframe: Timeframe, opts: { synthetic?: boolean } = {}): Promise<StoredAnalysis> {
    const now = this.clock.now();
    const ms = TIMEFRAME_MS[timeframe];
    const stored = await this.latest(symbol, timeframe);
    if (stored && now - stored.computedAt < ms && (opts.synthetic === undefined || opts.synthetic === stored.synthetic)) {
      const [newest] = await this.reader.lastCandles(symbol, timeframe, now - ms + 1, 1);
      if (newest === undefined || newest.time + ms <= stored.analysis.dataTo) return stored;
    }
    return this.run(symbol, timeframe, { at: now, ...opts });
  }

  private async anySynthetic(symbol: string, timeframe: Timeframe, fromMs: number, lastOpenMs: number): Promise<boolean> {
    const row = await this.prisma.candle.findFirst({
      where: { symbol, timeframe, synthetic: true, time: { gte: new Date(fromMs), lte: new Date(lastOpenMs) } },
      select: { time: true },
    });
    return row !== null;
  }
}
