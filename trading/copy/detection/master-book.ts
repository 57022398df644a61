import type { Decimal } from "../../../core/index.ts";
import type { AccountInfo, BrokerOrder, BrokerPosition, EventTiming } from "../../broker/index.ts";
import { eventIds, type MasterSignal } from "../master-signal.ts";

const str = (d: Decimal | undefined) => d?.toString();
const same = (a: Decimal | undefined, b: Decimal | undefined) => (a === undefined ? b === undefined : b !== undefined && a.eq(b));

/**
 * The price of the lots a netting position gained: the venue keeps the position's open price as the
 * volume-weighted average of its deals, so the new deal's price is what moves the average. A venue that does not
 * average (the result is not a positive price) leaves the position's current price as the best estimate.
 */
function addedPrice(prev: BrokerPosition, now: BrokerPosition, added: Decimal): Decimal {
  const price = now.volume.mul(now.openPrice).minus(prev.volume.mul(prev.openPrice)).div(added).toDecimalPlaces(8);
  return price.gt(0) ? price : (now.currentPrice ?? now.openPrice);
}

/**
 * What a master holds, as last seen, and the normaliser that turns its broker events into copy signals: a new
 * position is an OPEN; a larger volume (a netting account adding to its position) an INCREASE of the lots added;
 * a smaller volume a CLOSE_PARTIAL (with the share closed); new SL/TP a MODIFY; a gone
 * position a CLOSE; pending orders placed, changed and cancelled likewise. Events for things already in the
 * state they describe produce nothing, so redelivered events are harmless. Pure bookkeeping: no I/O.
 */
export class MasterBook {
  readonly positions = new Map<string, BrokerPosition>();
  readonly orders = new Map<string, BrokerOrder>();
  /** The pending order each triggered position came from (position id → order id). */
  readonly #triggered = new Map<string, string>();
  money: { balance: string; equity: string } | null = null;

  constructor(readonly masterAccountId: string) {}

  /** Takes the venue's picture as the starting point, emitting nothing. */
  seed(positions: readonly BrokerPosition[], orders: readonly BrokerOrder[]): void {
    this.positions.clear();
    this.orders.clear();
    for (const p of positions) this.positions.set(p.id, p);
    for (const o of orders) if (o.type !== "MARKET") this.orders.set(o.id, o);
  }

  account(info: AccountInfo): void {
    this.money = { balance: info.balance.toString(), equity: info.equity.toString() };
  }

  opened(p: BrokerPosition, t: EventTiming): MasterSignal[] {
    if (this.positions.has(p.id)) return this.updated(p, t);
    this.positions.set(p.id, p);
    const order = this.#triggered.get(p.id);
    this.#triggered.delete(p.id);
    return [
      this.#signal("OPEN", eventIds.open(p.id), p, t, {
        volume: p.volume.toString(),
        price: p.openPrice.toString(),
        ...(order ? { masterOrderId: order } : {}),
      }),
    ];
  }

  updated(p: BrokerPosition, t: EventTiming): MasterSignal[] {
    const prev = this.positions.get(p.id);
    if (!prev) return this.opened(p, t);
    this.positions.set(p.id, p);
    const out: MasterSignal[] = [];
    if (p.volume.gt(prev.volume)) {
      const added = p.volume.minus(prev.volume);
      out.push(this.#signal("INCREASE", eventIds.increase(p.id, p.volume.toString(), p.updateTime), p, t, { volume: added.toString(), price: addedPrice(prev, p, added).toString() }));
    }
    if (p.volume.lt(prev.volume)) {
      const closed = prev.volume.minus(p.volume);
      out.push(
        this.#signal("CLOSE_PARTIAL", eventIds.partial(p.id, p.volume.toString()), p, t, {
          volume: closed.toString(),
          closedShare: closed.div(prev.volume).toString(),
          ...(p.currentPrice ? { price: p.currentPrice.toString() } : {}),
        }),
      );
    }
    if (!same(prev.stopLoss, p.stopLoss) || !same(prev.takeProfit, p.takeProfit)) {
      out.push(this.#signal("MODIFY", eventIds.modify(p.id, p.updateTime, str(p.stopLoss), str(p.takeProfit)), p, t, { volume: p.volume.toString() }));
    }
    return out;
  }

  closed(positionId: string, last: BrokerPosition | undefined, t: EventTiming): MasterSignal[] {
    const known = this.positions.get(positionId) ?? last;
    this.positions.delete(positionId);
    if (!known) return [];
    const price = last?.currentPrice ?? known.currentPrice;
    return [this.#signal("CLOSE", eventIds.close(positionId), known, t, { volume: known.volume.toString(), ...(price ? { price: price.toString() } : {}) })];
  }

  order(o: BrokerOrder, status: "updated" | "completed", t: EventTiming): MasterSignal[] {
    if (o.type === "MARKET") return [];
    const prev = this.orders.get(o.id);
    if (status === "completed" || ["filled", "canceled", "rejected", "expired"].includes(o.state)) {
      this.orders.delete(o.id);
      if (o.state === "filled") {
        this.#triggered.set(o.positionId ?? o.id, o.id);
        return [];
      }
      return prev || o.state === "canceled" || o.state === "expired" ? [this.#orderSignal("ORDER_CANCELLED", eventIds.orderCancel(o.id), o, t)] : [];
    }
    this.orders.set(o.id, o);
    if (!prev) return [this.#orderSignal("ORDER_PLACED", eventIds.order(o.id), o, t)];
    if (same(prev.price, o.price) && same(prev.stopLoss, o.stopLoss) && same(prev.takeProfit, o.takeProfit)) return [];
    return [this.#orderSignal("ORDER_MODIFIED", eventIds.orderModify(o.id, t.time, str(o.price), str(o.stopLoss), str(o.takeProfit)), o, t)];
  }

  /**
   * After a reconnect: the signals for everything that changed while the link was down (opened, reduced,
   * modified and closed positions; placed and vanished orders), then the snapshot becomes the state.
   */
  resync(positions: readonly BrokerPosition[], orders: readonly BrokerOrder[], at: number): MasterSignal[] {
    const out: MasterSignal[] = [];
    const held = new Set(positions.map((p) => p.id));
    for (const p of positions) out.push(...(this.positions.has(p.id) ? this.updated(p, { time: p.updateTime, receivedAt: at }) : this.opened(p, { time: p.openTime, receivedAt: at })));
    for (const id of [...this.positions.keys()]) if (!held.has(id)) out.push(...this.closed(id, undefined, { time: at, receivedAt: at }));
    const working = new Set<string>();
    for (const o of orders) {
      if (o.type === "MARKET") continue;
      working.add(o.id);
      out.push(...this.order(o, "updated", { time: o.createdAt, receivedAt: at }));
    }
    for (const [id, o] of [...this.orders]) if (!working.has(id)) out.push(...this.order({ ...o, state: "canceled" }, "completed", { time: at, receivedAt: at }));
    return out;
  }

  #signal(kind: MasterSignal["kind"], eventId: string, p: BrokerPosition, t: EventTiming, extra: Pick<MasterSignal, "volume"> & Partial<MasterSignal>): MasterSignal {
    return {
      eventId,
      kind,
      masterAccountId: this.masterAccountId,
      symbol: p.symbol,
      side: p.side,
      ...(p.stopLoss ? { stopLoss: p.stopLoss.toString() } : {}),
      ...(p.takeProfit ? { takeProfit: p.takeProfit.toString() } : {}),
      masterPositionId: p.id,
      time: t.time,
      receivedAt: t.receivedAt,
      master: this.money,
      ...extra,
    };
  }

  #orderSignal(kind: MasterSignal["kind"], eventId: string, o: BrokerOrder, t: EventTiming): MasterSignal {
    return {
      eventId,
      kind,
      masterAccountId: this.masterAccountId,
      symbol: o.symbol,
      side: o.side,
      volume: o.volume.toString(),
      ...(o.price ? { price: o.price.toString() } : {}),
      ...(o.stopLoss ? { stopLoss: o.stopLoss.toString() } : {}),
      ...(o.takeProfit ? { takeProfit: o.takeProfit.toString() } : {}),
      ...(o.stopLimitPrice ? { stopLimitPrice: o.stopLimitPrice.toString() } : {}),
      orderType: o.type as "LIMIT" | "STOP" | "STOP_LIMIT",
      masterOrderId: o.id,
      time: t.time,
      receivedAt: t.receivedAt,
      master: this.money,
    };
  }
}
