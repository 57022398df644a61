import { beforeAll, describe, expect, it } from "vitest";
import { dec, type Tick } from "../../core/index.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import type { BrokerDeal, ChangeResult } from "../broker/index.ts";
import type { PaperOrderResult } from "./paper-types.ts";
import { PaperVenue } from "./paper-venue.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { seededRandom } from "./testing/paper-fixture.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 3);
const PIP = dec("0.0001");

interface Action {
  at: number;
  run(v: PaperVenue): Promise<PaperOrderResult | ChangeResult | undefined>;
}

/** A seeded mix of market orders with stops, pending orders, partial and full closes and stop changes; all randomness is drawn up front. */
function scenario(seed: number): Action[] {
  const random = seededRandom(seed);
  const actions: Action[] = [];
  let t = from + 30 * 60_000;
  for (let i = 0; i < 60; i++) {
    t += 1 + Math.floor(random() * 40 * 60_000);
    const kind = random();
    const side = random() < 0.5 ? ("BUY" as const) : ("SELL" as const);
    const [a, b] = [5 + Math.floor(random() * 25), 5 + Math.floor(random() * 25)];
    const volume = dec(2 + Math.floor(random() * 9)).div(100);
    const id = `D${i}`;
    let run: Action["run"];
    if (kind < 0.45) {
      run = async (v) => {
        const q = await v.fetchPrice("EURUSD");
        const ref = side === "BUY" ? q.bid : q.ask;
        const sign = side === "BUY" ? 1 : -1;
        return v.submitOrder({ clientOrderId: id, symbol: "EURUSD", side, type: "MARKET", volume, stopLoss: ref.minus(PIP.mul(a * sign)), takeProfit: ref.plus(PIP.mul(b * sign)) });
      };
    } else if (kind < 0.65) {
      const type = random() < 0.5 ? ("LIMIT" as const) : ("STOP" as const);
      run = async (v) => {
        const q = await v.fetchPrice("EURUSD");
        const away = (type === "LIMIT") === (side === "BUY") ? -a : a;
        return v.submitOrder({ clientOrderId: id, symbol: "EURUSD", side, type, volume, price: (side === "BUY" ? q.ask : q.bid).plus(PIP.mul(away)) });
      };
    } else if (kind < 0.85) {
      const half = random() < 0.5;
      run = async (v) => {
        const p = (await v.fetchPositions())[0];
        if (!p) return undefined;
        const part = half && p.volume.gte("0.02") ? p.volume.div(2).toDecimalPlaces(2, 1) : undefined;
        return v.closePosition(p.id, part, id);
      };
    } else {
      run = async (v) => {
        const p = (await v.fetchPositions()).at(-1);
        if (!p) return undefined;
        const q = await v.fetchPrice("EURUSD");
        return v.modifyPosition(p.id, { stopLoss: p.side === "BUY" ? q.bid.minus(PIP.mul(a)) : q.ask.plus(PIP.mul(a)) });
      };
    }
    actions.push({ at: t, run });
  }
  return actions;
}

describeIfData(hasSharedData(...TICKS), "paper venue determinism and snapshots on real EURUSD ticks", () => {
  let ticks: Tick[];
  beforeAll(() => {
    ticks = readLeanTicks(sharedDataPath(...TICKS), from, to);
  });
  const deps = () => ({ reader: new ArrayMarketDataReader({ ticks: { EURUSD: ticks } }), instruments: TEST_INSTRUMENTS });
  const fresh = async () => {
    const venue = new PaperVenue({ accountId: "det", ...deps(), symbols: ["EURUSD"], from, to, latency: { kind: "lognormal", medianMs: 150, p95Ms: 1_200, seed: 9 } });
    await venue.connect();
    return venue;
  };
  const play = async (venue: PaperVenue, actions: Action[]) => {
    const results: (PaperOrderResult | ChangeResult | undefined)[] = [];
    for (const action of actions) {
      await venue.advanceTo(action.at);
      results.push(await action.run(venue));
    }
    return results;
  };
  const finish = async (venue: PaperVenue): Promise<BrokerDeal[]> => {
    await venue.runToEnd();
    return venue.fetchDeals(from, to);
  };

  it("gives identical results, deals and state, bit for bit, when the same scenario runs twice", async () => {
    const actions = scenario(5);
    const [a, b] = [await fresh(), await fresh()];
    const runA = await play(a, actions);
    const runB = await play(b, actions);
    expect(runA).toEqual(runB);
    const [dealsA, dealsB] = [await finish(a), await finish(b)];
    expect(dealsA.filter((d) => d.entry === "out").length).toBeGreaterThan(10);
    expect(dealsA).toEqual(dealsB);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const latencies = runA.flatMap((r) => (r && "latencyMs" in r && r.latencyMs !== undefined ? [r.latencyMs] : []));
    expect(new Set(latencies).size).toBeGreaterThan(5);
  });

  it("resumes from a JSON snapshot taken mid-run exactly where the uninterrupted run goes", async () => {
    const actions = scenario(6);
    const whole = await fresh();
    const expected = await play(whole, actions);
    const expectedDeals = await finish(whole);

    const first = await fresh();
    const firstHalf = await play(first, actions.slice(0, 30));
    const stored = JSON.parse(JSON.stringify(first));
    const resumed = PaperVenue.fromJSON(stored, deps());
    await resumed.connect();
    const secondHalf = await play(resumed, actions.slice(30));
    expect([...firstHalf, ...secondHalf]).toEqual(expected);
    expect(await finish(resumed)).toEqual(expectedDeals);
    expect(JSON.stringify(resumed.toJSON())).toBe(JSON.stringify(whole.toJSON()));
  });

  it("resumes inside a run of ticks that share one millisecond without replaying or skipping any", async () => {
    const i = ticks.findIndex((k, j) => j > 0 && ticks[j - 1]!.time < k.time && ticks[j + 1]?.time === k.time && ticks[j + 1]!.bid !== k.bid);
    const group = ticks.slice(i, i + 2);
    const venue = new PaperVenue({ accountId: "grp", ...deps(), symbols: ["EURUSD"], from: group[0]!.time, to });
    expect(await venue.step()).toMatchObject(group[0]!);
    const resumed = PaperVenue.fromJSON(JSON.parse(JSON.stringify(venue)), deps());
    expect(await resumed.step()).toMatchObject(group[1]!);
    expect(await venue.step()).toMatchObject(group[1]!);
    // A snapshot taken before the replay ever opened starts at the beginning of the range.
    const untouched = new PaperVenue({ accountId: "new", ...deps(), symbols: ["EURUSD"], from, to });
    expect(await PaperVenue.fromJSON(JSON.parse(JSON.stringify(untouched)), deps()).step()).toMatchObject(ticks[0]!);
  });
});
