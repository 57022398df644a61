import type { Timeframe } from "../../core/index.ts";
import type { PatternsResult, SummaryResult, TrendResult } from "./analysis-result.ts";
import type { RegimeReading } from "./market-regime.ts";
import type { Level, LevelsReading } from "./support-resistance.ts";
import type { TrendReading } from "./trend.ts";

interface Facts {
  symbol: string;
  timeframe: Timeframe;
  lastClose: number;
}

interface Readings {
  trend: TrendResult;
  levels: LevelsReading;
  patterns: PatternsResult;
  regime: RegimeReading;
  summary: SummaryResult;
}

const ordinal = (n: number): string => {
  const r = Math.round(n);
  const suffix = r % 100 >= 11 && r % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][r % 10] ?? "th");
  return `${r}${suffix}`;
};

const words = (name: string): string => name.toLowerCase().replaceAll("_", " ");

function describeTrend(label: string, t: TrendReading): string {
  const adx = t.adx === null ? "" : `, ADX ${t.adx.toFixed(0)}`;
  if (t.direction === "sideways") return `${label} (${t.bars} bars): sideways — the fitted line moves ${Math.abs(t.moveAtr).toFixed(1)} ATR, R² ${t.r2.toFixed(2)}${adx}.`;
  const verb = t.direction === "up" ? "rises" : "falls";
  return `${label} (${t.bars} bars): ${t.strength} ${t.direction}trend — the fitted line ${verb} ${Math.abs(t.moveAtr).toFixed(1)} ATR, R² ${t.r2.toFixed(2)}${adx}.`;
}

/** Short sentences for traders, per section, from the readings; prices printed to a tenth of a pip. */
export function advise(facts: Facts, r: Readings, pipSize: number): Record<"trend" | "levels" | "patterns" | "regime" | "summary", string[]> {
  const digits = Math.max(0, Math.round(-Math.log10(pipSize)) + 1);
  const price = (p: number) => p.toFixed(digits);
  const { short, long } = r.trend;

  const trend = [describeTrend("Long horizon", long), describeTrend("Short horizon", short)];
  if (long.direction !== "sideways" && short.direction === long.direction) {
    trend.push(`Both horizons point ${long.direction}: favour ${long.direction === "up" ? "buys" : "sells"} on pull-backs.`);
  } else if (long.direction !== "sideways" && short.direction !== "sideways") {
    trend.push(`The short-term move runs against the ${long.direction}trend: wait for it to fade before trading with the trend.`);
  } else if (long.direction === "sideways" && short.direction === "sideways") {
    trend.push("No trend on either horizon: trend-following entries have no edge here.");
  }

  const levelText = (l: Level) => `${price(l.price)} (${Math.abs(l.distanceAtr).toFixed(1)} ATR ${l.kind === "support" ? "below" : "above"}, ${l.touches} touch${l.touches === 1 ? "" : "es"})`;
  const levels: string[] = [];
  const support = r.levels.support[0];
  const resistance = r.levels.resistance[0];
  if (resistance) levels.push(`Nearest resistance ${levelText(resistance)}.`);
  if (support) levels.push(`Nearest support ${levelText(support)}.`);
  if (support || resistance) levels.push("Place stops beyond a level rather than on it, where swings have turned before.");
  else levels.push("No swing levels in the analysed bars.");

  const patterns: string[] = [];
  for (const hit of r.patterns.hits.slice(0, 3)) {
    const when = hit.barsAgo === 0 ? "on the last bar" : `${hit.barsAgo} bar${hit.barsAgo === 1 ? "" : "s"} ago`;
    const kind = hit.direction === "neutral" ? "indecision" : hit.direction;
    patterns.push(`${words(hit.pattern)} (${kind}) ${when}.`.replace(/^./, (c) => c.toUpperCase()));
  }
  if (r.patterns.hits.length === 0) patterns.push("No candlestick pattern on the recent bars.");
  else if (r.patterns.net !== 0 && long.direction !== "sideways") {
    const agrees = (r.patterns.net > 0) === (long.direction === "up");
    patterns.push(agrees ? `The patterns agree with the ${long.direction}trend.` : `The patterns run against the ${long.direction}trend: treat them as a warning, not a signal.`);
  }

  const g = r.regime;
  const regime = [
    `Regime: ${g.regime} (ATR in the ${g.atrPercentile === null ? "unknown" : ordinal(g.atrPercentile)} percentile of the analysed bars${g.adx === null ? "" : `, ADX ${g.adx.toFixed(0)}`}).`,
  ];
  if (g.regime === "volatile") regime.push(`Reduce size and widen stops; ${g.suggestedTimeframe} bars absorb the noise better than ${facts.timeframe}.`);
  else if (g.regime === "trending") regime.push(`Trend-following entries on ${g.suggestedTimeframe} suit these conditions.`);
  else regime.push(`Range conditions: fade the edges of the range, with entries timed on ${g.suggestedTimeframe}.`);

  const summary = [
    `${facts.symbol} ${facts.timeframe} at ${price(facts.lastClose)}: ${r.summary.bias} bias (score ${r.summary.score.toFixed(2)}), ${g.regime} regime.`,
    trend.at(-1)!,
  ];
  if (g.regime === "volatile") summary.push(regime[1]!);
  if (resistance && r.summary.bias === "bullish") summary.push(`First target: resistance at ${price(resistance.price)}.`);
  if (support && r.summary.bias === "bearish") summary.push(`First target: support at ${price(support.price)}.`);
  return { trend, levels, patterns, regime, summary };
}
