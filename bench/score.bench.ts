import { computeLot, type LotInput } from "../srm/lot/index.ts";
import { BUILDER_EPOCH, randomOutcomes, seededRandom, tradeSeries } from "../srm/score/closed-trade.builder.ts";
import { applyTrade, createScoreState, scoreHistory, scoreOf, type ScoreState } from "../srm/score/index.ts";
import { EURUSD } from "../test/kit/builders.ts";

const BATCHES = 31;

/** Median over batches of the nanoseconds per call of `op(i)`, after one warm-up batch. */
function nsPerOp(opsPerBatch: number, op: (i: number) => unknown): number {
  const samples: number[] = [];
  let sink = 0;
  for (let b = -1; b < BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < opsPerBatch; i++) sink += op(i) === undefined ? 0 : 1;
    const ns = Number(process.hrtime.bigint() - t0) / opsPerBatch;
    if (b >= 0) samples.push(ns);
  }
  if (sink < 0) throw new Error("unreachable");
  samples.sort((a, b) => a - b);
  return Math.round(samples[BATCHES >> 1]! * 10) / 10;
}


/** Per-call cost of the score's incremental update and evaluation, and of the lot engine. */
export default async function run(): Promise<Record<string, unknown>> {
  const trades = tradeSeries(randomOutcomes(4096, 0.55, 1.4, 1), BUILDER_EPOCH, 3_600_000);
  let state: ScoreState = createScoreState();
  const applyNs = nsPerOp(trades.length, (i) => (state = applyTrade(state, trades[i]!)));

  const states = [30, 200, 4096].map((n) => scoreHistory(trades.slice(0, n)));
  const last = trades.at(-1)!.closeTime;
  const scoreNs = nsPerOp(3000, (i) => scoreOf(states[i % 3]!, last + (i % 7) * 86_400_000));

  const rnd = seededRandom(2);
  const inputs: LotInput[] = Array.from({ length: 64 }, (_, i) => {
    const slPips = 10 + Math.floor(rnd() * 40);
    return {
      sizing: i % 4 === 0 ? { mode: "fixed", lot: "0.37" } : { mode: "risk_percent", riskPercent: 0.5 + rnd() * 2 },
      equity: (5000 + Math.floor(rnd() * 50_000)).toString(),
      freeMargin: "4000",
      symbol: EURUSD,
      side: i % 2 === 0 ? "BUY" : "SELL",
      entryPrice: "1.08500",
      stopLoss: (i % 2 === 0 ? 1.085 - slPips * 0.0001 : 1.085 + slPips * 0.0001).toFixed(5),
      quoteToAccountRate: "1",
      providerScore: rnd() * 100,
      predictedSlippageP90Pips: rnd() * 4,
    };
  });
  const lotNs = nsPerOp(2000, (i) => computeLot(inputs[i % inputs.length]!));

  return { applyTrade_ns_per_op: applyNs, scoreOf_ns_per_op: scoreNs, computeLot_ns_per_op: lotNs, batches: BATCHES };
}
