import { describe, expect, it } from "vitest";
import { dec } from "../../../core/index.ts";
import type { BrokerOrder, BrokerPosition } from "../../broker/index.ts";
import { MasterBook } from "./master-book.ts";

const t = (time: number) => ({ time, receivedAt: time + 3 });
const pos = (over: Partial<BrokerPosition> = {}): BrokerPosition => ({
  id: "11",
  symbol: "EURUSD",
  side: "BUY",
  volume: dec("1.00"),
  openPrice: dec("1.10000"),
  currentPrice: dec("1.10010"),
  stopLoss: dec("1.09800"),
  profit: dec(0),
  swap: dec(0),
  commission: dec(0),
  openTime: 1000,
  updateTime: 1000,
  ...over,
});
const order = (over: Partial<BrokerOrder> = {}): BrokerOrder => ({
  id: "20",
  symbol: "EURUSD",
  side: "BUY",
  type: "LIMIT",
  state: "placed",
  volume: dec("0.5"),
  remainingVolume: dec("0.5"),
  price: dec("1.09500"),
  createdAt: 900,
  ...over,
});

describe("MasterBook", () => {
  it("normalises open, partial close, modify and close into signals with stable event ids, the master's price and time", () => {
    const book = new MasterBook("m");
    book.account({ balance: dec(5000), equity: dec(5100) } as never);
    const [open] = book.opened(pos(), t(1000));
    expect(open).toMatchObject({ kind: "OPEN", eventId: "open.11", price: "1.1", volume: "1", stopLoss: "1.098", time: 1000, receivedAt: 1003, master: { balance: "5000", equity: "5100" } });
    const [partial] = book.updated(pos({ volume: dec("0.25"), currentPrice: dec("1.10100"), updateTime: 2000 }), t(2000));
    expect(partial).toMatchObject({ kind: "CLOSE_PARTIAL", eventId: "partial.11.0.25", volume: "0.75", closedShare: "0.75", price: "1.101" });
    const [modify] = book.updated(pos({ volume: dec("0.25"), stopLoss: dec("1.10000"), takeProfit: dec("1.11"), updateTime: 3000 }), t(3000));
    expect(modify).toMatchObject({ kind: "MODIFY", eventId: "modify.11.3000.1.1_1.11", stopLoss: "1.1", takeProfit: "1.11" });
    const [close] = book.closed("11", pos({ volume: dec("0.25"), currentPrice: dec("1.10200") }), t(4000));
    expect(close).toMatchObject({ kind: "CLOSE", eventId: "close.11", volume: "0.25", price: "1.102", masterPositionId: "11" });
  });

  it("ignores redelivered events and volume-only noise", () => {
    const book = new MasterBook("m");
    book.opened(pos(), t(1000));
    expect(book.opened(pos(), t(1001))).toEqual([]);
    expect(book.updated(pos({ currentPrice: dec("1.2") }), t(1002))).toEqual([]);
    book.closed("11", undefined, t(1003));
    expect(book.closed("11", undefined, t(1004))).toEqual([]);
  });

  it("a netting position that grows is an INCREASE of the lots added, at the price its new average implies", () => {
    const book = new MasterBook("m");
    book.opened(pos(), t(1000));
    // 1.00 lot at 1.10000 plus 0.50 lot at 1.10300: the venue averages the open price to 1.101.
    const grown = book.updated(pos({ volume: dec("1.50"), openPrice: dec("1.10100"), stopLoss: dec("1.09900"), updateTime: 2000 }), t(2000));
    expect(grown.map((s) => s.kind)).toEqual(["INCREASE", "MODIFY"]);
    expect(grown[0]).toMatchObject({ eventId: "increase.11.1.5.2000", volume: "0.5", price: "1.103", stopLoss: "1.099", masterPositionId: "11", time: 2000 });
    expect(book.updated(pos({ volume: dec("1.50"), openPrice: dec("1.10100"), stopLoss: dec("1.09900"), updateTime: 2000 }), t(2001))).toEqual([]);
    // A venue that does not average: the added lots are priced at the current price.
    const flat = book.updated(pos({ volume: dec("1.60"), openPrice: dec("0.5"), currentPrice: dec("1.10400"), stopLoss: dec("1.09900"), updateTime: 3000 }), t(3000));
    expect(flat[0]).toMatchObject({ kind: "INCREASE", volume: "0.1", price: "1.104" });
  });

  it("an update for an unseen position is its open (its positionOpened was missed)", () => {
    expect(new MasterBook("m").updated(pos(), t(5))[0]?.kind).toBe("OPEN");
  });

  it("follows pending orders: placed, modified, cancelled; a triggered order's position names the order", () => {
    const book = new MasterBook("m");
    expect(book.order(order(), "updated", t(900))[0]).toMatchObject({ kind: "ORDER_PLACED", eventId: "order.20", orderType: "LIMIT", price: "1.095", masterOrderId: "20" });
    expect(book.order(order(), "updated", t(901))).toEqual([]);
    expect(book.order(order({ stopLoss: dec("1.09") }), "updated", t(950))[0]?.kind).toBe("ORDER_MODIFIED");
    expect(book.order(order({ state: "filled", positionId: "20" }), "completed", t(960))).toEqual([]);
    expect(book.opened(pos({ id: "20" }), t(960))[0]).toMatchObject({ kind: "OPEN", masterOrderId: "20" });
    book.order(order({ id: "30" }), "updated", t(970));
    expect(book.order(order({ id: "30", state: "canceled" }), "completed", t(980))[0]).toMatchObject({ kind: "ORDER_CANCELLED", eventId: "ordercancel.30" });
    expect(book.order({ ...order({ id: "40" }), type: "MARKET", state: "filled" }, "completed", t(990))).toEqual([]);
  });

  it("after a reconnect, emits what changed while the link was down", () => {
    const book = new MasterBook("m");
    book.seed([pos({ id: "1" }), pos({ id: "2" }), pos({ id: "3" })], [order({ id: "9" })]);
    const signals = book.resync([pos({ id: "2", volume: dec("0.5") }), pos({ id: "3", volume: dec("2"), updateTime: 7500 }), pos({ id: "4", openTime: 7000 })], [], 8000);
    expect(signals.map((s) => `${s.kind}:${s.eventId}`)).toEqual(["CLOSE_PARTIAL:partial.2.0.5", "INCREASE:increase.3.2.7500", "OPEN:open.4", "CLOSE:close.1", "ORDER_CANCELLED:ordercancel.9"]);
    expect(signals.find((s) => s.kind === "OPEN")?.time).toBe(7000);
    expect(book.resync([pos({ id: "2", volume: dec("0.5") }), pos({ id: "3", volume: dec("2"), updateTime: 7500 }), pos({ id: "4" })], [], 9000)).toEqual([]);
  });
});
