import { describe, expect, it } from "vitest";
import { dec, type Decimal, type Tick } from "../../core/index.ts";
import type { AccountInfo } from "../broker/index.ts";
import type { PaperOrderResult, PaperPositionClosed } from "./paper-types.ts";
import { connectedVenue, quotes, type VenueSettings } from "./testing/paper-fixture.ts";

// Hand-made quotes so every expected figure can be worked out on paper (real-price fills are tested elsewhere).
const T0 = Date.UTC(2024, 0, 2, 10);
const S = 1_000;
const range = { from: Date.UTC(2024, 0, 2), to: Date.UTC(2024, 0, 6), latency: { kind: "fixed", ms: 0 } } as const;

const money = (a: AccountInfo) => [a.balance, a.equity, a.margin, a.freeMargin, a.marginLevel].map((d) => d?.toString());
const buy = (id: string, symbol: string, volume: string) => ({ clientOrderId: id, symbol, side: "BUY", type: "MARKET", volume: dec(volume) }) as const;
function filled(r: PaperOrderResult): string {
  if (r.status === "rejected") throw new Error(`${r.errorCode}: ${r.message}`);
  return r.positionId!;
}

async function venue(ticks: Record<string, Tick[]>, settings: Partial<VenueSettings> = {}) {
  return connectedVenue({ ticks }, { ...range, symbols: Object.keys(ticks), ...settings });
}

describe("paper account money maths (USD account, 1:100 margin rates)", () => {
  const market = {
    EURUSD: quotes([[T0, 1.1, 1.1001], [T0 + S, 1.1, 1.1001], [T0 + 10 * S, 1.102, 1.1021], [T0 + 20 * S, 1.102, 1.1021], [T0 + 30 * S, 1.102, 1.1021]]),
    USDJPY: quotes([[T0, 150, 150.02], [T0 + S, 150, 150.02], [T0 + 10 * S, 151, 151.02], [T0 + 20 * S, 151, 151.02]]),
    XAUUSD: quotes([[T0, 2000, 2000.5], [T0 + S, 2000, 2000.5], [T0 + 10 * S, 2010, 2010.5], [T0 + 20 * S, 2010, 2010.5]]),
  };

  it("values margin at the current mid and converts JPY at the USDJPY rate: EURUSD, USDJPY and XAUUSD", async () => {
    const v = await venue(market);
    await v.advanceTo(T0);
    const ids = [filled(await v.submitOrder(buy("E", "EURUSD", "1"))), filled(await v.submitOrder(buy("J", "USDJPY", "1"))), filled(await v.submitOrder(buy("X", "XAUUSD", "1")))];
    const positions = await v.fetchPositions();
    expect(positions.map((p) => [p.id, p.openPrice.toString(), p.profit.toString()])).toEqual([
      [ids[0], "1.1001", "-10"],
      // (150.000 − 150.020) × 100 000 JPY ÷ 150.010 (USDJPY mid) = −13.3324… USD
      [ids[1], "150.02", "-13.33"],
      [ids[2], "2000.5", "-50"],
    ]);
    // Margins: 100 000 × 1.10005 × 1% = 1100.05; 100 000 × 150.01 × 1% ÷ 150.01 = 1000; 100 × 2000.25 × 1% = 2000.25.
    expect(money(await v.fetchAccountInfo())).toEqual(["10000", "9926.67", "4100.3", "5826.37", "242.1"]);
    await v.advanceTo(T0 + 10 * S);
    // Floating: +190; 98 000 JPY ÷ 151.01 = +648.96; +950. Margins 1102.05 + 1000 + 2010.25.
    expect(money(await v.fetchAccountInfo())).toEqual(["10000", "11788.96", "4112.3", "7676.66", "286.68"]);

    const closed = await v.closePosition(ids[1]!, undefined, "CJ");
    expect(closed.status === "filled" && [closed.fillPrice!.toString(), closed.requestedPrice!.toString()]).toEqual(["151", "151"]);
    const partial = await v.closePosition(ids[0]!, dec("0.4"), "CE");
    expect(partial.status).toBe("filled");
    const deals = (await v.fetchDeals(range.from, range.to)).filter((d) => d.entry === "out");
    expect(deals.map((d) => [d.positionId, d.volume!.toString(), d.price!.toString(), d.profit.toString(), d.reason])).toEqual([
      [ids[1], "1", "151", "648.96", "client"],
      [ids[0], "0.4", "1.102", "76", "client"],
    ]);
    expect((await v.fetchPositionByClientId("E"))?.volume.toString()).toBe("0.6");
    expect((await v.fetchAccountInfo()).balance.toString()).toBe("10724.96");
  });

  it("charges commission per lot and side on entry and exit", async () => {
    const v = await venue({ EURUSD: market.EURUSD }, { commissionPerLot: "7" });
    await v.advanceTo(T0);
    const id = filled(await v.submitOrder(buy("E", "EURUSD", "1")));
    expect((await v.fetchPositions())[0]!.commission.toString()).toBe("-7");
    await v.advanceTo(T0 + 10 * S);
    await v.closePosition(id, dec("0.4"), "C1");
    const [entry, exit] = (await v.fetchDeals(range.from, range.to)).filter((d) => d.kind === "trade");
    expect([entry!.commission.toString(), exit!.commission.toString(), exit!.profit.toString()]).toEqual(["-7", "-2.8", "76"]);
    expect((await v.fetchAccountInfo()).balance.toString()).toBe("10066.2");
  });

  it("refuses what a broker refuses: no money, volume off step or range, unknown symbol, wrong-side stops", async () => {
    const v = await venue({ EURUSD: market.EURUSD }, { initialBalance: 1_000 });
    await v.advanceTo(T0);
    const code = async (r: Promise<PaperOrderResult>) => {
      const result = await r;
      return result.status === "rejected" ? [result.errorCode, result.errorKind] : [result.status];
    };
    expect(await code(v.submitOrder(buy("A", "EURUSD", "1")))).toEqual(["TRD_ERR_NO_MONEY", "invalid"]);
    expect(await code(v.submitOrder(buy("B", "EURUSD", "0.9")))).toEqual(["filled"]);
    // Free margin is now (1000 − 9) − 990.04 = 0.96, less than the 11.00 another 0.01 lot needs.
    expect(await code(v.submitOrder(buy("C", "EURUSD", "0.01")))).toEqual(["TRD_ERR_NO_MONEY", "invalid"]);
    expect(await code(v.submitOrder(buy("D", "EURUSD", "0.015")))).toEqual(["TRD_ERR_INVALID_VOLUME", "invalid"]);
    expect(await code(v.submitOrder(buy("E", "EURUSD", "100.01")))).toEqual(["TRD_ERR_INVALID_VOLUME", "invalid"]);
    expect(await code(v.submitOrder(buy("F", "GBPUSD", "0.01")))).toEqual(["TRD_ERR_UNKNOWN_SYMBOL", "invalid"]);
    expect(await code(v.submitOrder({ ...buy("G", "EURUSD", "0.01"), takeProfit: dec("1.09") }))).toEqual(["TRD_ERR_INVALID_STOPS", "invalid"]);
    const position = (await v.fetchPositions())[0]!;
    expect((await v.modifyPosition(position.id, { stopLoss: dec("1.2") })).status).toBe("rejected");
    expect(await code(v.closePosition(position.id, dec("0.895"), "H"))).toEqual(["TRD_ERR_INVALID_VOLUME", "invalid"]);
    expect(await code(v.closePosition("999", undefined, "I"))).toEqual(["TRD_ERR_POSITION_NOT_FOUND", "not_found"]);
    expect(await v.fetchPositions()).toHaveLength(1);
  });

  it("stops out below 50% margin level, closing the biggest loser first and only as much as needed", async () => {
    const v = await venue(
      {
        EURUSD: quotes([[T0, 1.1, 1.1001], [T0 + S, 1.1, 1.1001], [T0 + 20 * S, 1.095, 1.0951], [T0 + 30 * S, 1.09, 1.0901]]),
        XAUUSD: quotes([[T0, 2000, 2000.5], [T0 + S, 2000, 2000.5], [T0 + 10 * S, 1985, 1985.5]]),
      },
      { initialBalance: 1_000 },
    );
    const closed: PaperPositionClosed[] = [];
    v.events.on("positionClosed", (e) => closed.push(e as PaperPositionClosed));
    await v.advanceTo(T0);
    const eur = filled(await v.submitOrder(buy("E", "EURUSD", "0.5")));
    const xau = filled(await v.submitOrder(buy("X", "XAUUSD", "0.2")));
    await v.advanceTo(T0 + 10 * S);
    // Equity 1000 − 5 − 310 = 685 on margin 550.03 + 397.05: 72.33%, above the stop-out level.
    expect(money(await v.fetchAccountInfo())).toEqual(["1000", "685", "947.08", "-262.08", "72.33"]);
    expect(closed).toEqual([]);
    await v.advanceTo(T0 + 20 * S);
    // EURUSD −255 makes it 435 / 944.58 = 46%: gold (−310) goes first though EURUSD was opened first; 435 / 547.52 = 79% then holds.
    expect(closed.map((e) => [e.positionId, e.reason, e.time])).toEqual([[xau, "STOP_OUT", T0 + 20 * S]]);
    expect(money(await v.fetchAccountInfo())).toEqual(["690", "435", "547.52", "-112.52", "79.45"]);
    await v.advanceTo(T0 + 30 * S);
    expect(closed.map((e) => [e.positionId, e.reason])).toEqual([[xau, "STOP_OUT"], [eur, "STOP_OUT"]]);
    const outs = (await v.fetchDeals(range.from, range.to)).filter((d) => d.entry === "out");
    expect(outs.map((d) => [d.positionId, d.reason, d.price!.toString(), d.profit.toString()])).toEqual([
      [xau, "stop_out", "1985", "-310"],
      [eur, "stop_out", "1.09", "-505"],
    ]);
    expect((await v.fetchAccountInfo()).balance.toString()).toBe("185");
  });

  it("books swap at the 21:00 UTC rollover, triple on Wednesday, into equity and at close into the balance", async () => {
    const day = (d: number, h: number) => Date.UTC(2024, 0, d, h);
    const v = await venue(
      { EURUSD: quotes([[day(2, 10), 1.1, 1.1001], [day(2, 10) + S, 1.1, 1.1001], [day(3, 22), 1.1, 1.1001], [day(4, 22), 1.1001, 1.1002], [day(4, 22) + S, 1.1001, 1.1002]]) },
      { swap: { EURUSD: { longPerLot: "-5", shortPerLot: "1.5" } } },
    );
    await v.advanceTo(day(2, 10));
    const id = filled(await v.submitOrder(buy("E", "EURUSD", "1")));
    await v.advanceTo(day(4, 12));
    const swapOf = async (): Promise<Decimal | undefined> => (await v.fetchPositions())[0]?.swap;
    expect((await swapOf())?.toString()).toBe("-20");
    expect((await v.fetchAccountInfo()).equity.toString()).toBe("9970");
    await v.advanceTo(day(4, 22));
    await v.closePosition(id, undefined, "C");
    const exit = (await v.fetchDeals(range.from, range.to)).find((d) => d.entry === "out")!;
    expect([exit.swap.toString(), exit.profit.toString()]).toEqual(["-25", "0"]);
    expect((await v.fetchAccountInfo()).balance.toString()).toBe("9975");
  });
});
