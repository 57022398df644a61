import { hotPath } from "../../core/index.ts";
import type { BrokerSession } from "./broker-session.ts";
import type { PositionBook } from "./position-book.ts";

/**
 * Feeds the session's broker events into the position book, one at a time in arrival order (the account's
 * queue), so a close never overtakes the open it belongs to. Booking yields to this process' hot work (a
 * fan-out still sending orders, see `HotPath`). Returns the function that stops it.
 */
export function followBrokerEvents(session: BrokerSession, book: PositionBook): () => void {
  const events = session.port.events;
  const follow = (work: () => Promise<unknown>) =>
    session.enqueue(async () => {
      const held = hotPath.calm();
      if (held) await held;
      return work();
    });
  const offs = [
    events.on("positionOpened", (e) => follow(() => book.positionSeen(session, e.position))),
    events.on("positionUpdated", (e) => follow(() => book.positionSeen(session, e.position))),
    events.on("positionClosed", (e) => follow(() => book.positionGone(session, e.positionId, e.time, e.position))),
    events.on("deal", (e) => follow(() => book.dealBooked(session, e.deal))),
    events.on("order", (e) => {
      const order = e.order;
      if (order) follow(() => book.orderSeen(session, order));
    }),
    events.on("account", (e) => {
      session.noteAccount(e.account);
      follow(() => book.accountSeen(session, e.account, e.time));
    }),
    events.on("connection", (e) => follow(() => book.connectionChanged(session, e.health))),
  ];
  return () => {
    for (const off of offs) off();
  };
}
