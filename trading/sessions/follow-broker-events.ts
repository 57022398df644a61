import type { BrokerSession } from "./broker-session.ts";
import type { PositionBook } from "./position-book.ts";

/**
 * Feeds the session's broker events into the position book, one at a time in arrival order (the account's
 * queue), so a close never overtakes the open it belongs to. Returns the function that stops it.
 */
export function followBrokerEvents(session: BrokerSession, book: PositionBook): () => void {
  const events = session.port.events;
  const offs = [
    events.on("positionOpened", (e) => session.enqueue(() => book.positionSeen(session, e.position))),
    events.on("positionUpdated", (e) => session.enqueue(() => book.positionSeen(session, e.position))),
    events.on("positionClosed", (e) => session.enqueue(() => book.positionGone(session, e.positionId, e.time, e.position))),
    events.on("deal", (e) => session.enqueue(() => book.dealBooked(session, e.deal))),
    events.on("order", (e) => {
      const order = e.order;
      if (order) session.enqueue(() => book.orderSeen(session, order));
    }),
    events.on("account", (e) => session.enqueue(() => book.accountSeen(session, e.account, e.time))),
    events.on("connection", (e) => session.enqueue(() => book.connectionChanged(session, e.health))),
  ];
  return () => {
    for (const off of offs) off();
  };
}
