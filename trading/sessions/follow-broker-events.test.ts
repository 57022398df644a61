import { describe, expect, it } from "vitest";
import { createLogger, hotPath, systemClock } from "../../core/index.ts";
import { BrokerEventEmitter, type BrokerPort } from "../broker/index.ts";
import { BrokerSession } from "./broker-session.ts";
import { followBrokerEvents } from "./follow-broker-events.ts";
import type { PositionBook } from "./position-book.ts";

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe("followBrokerEvents", () => {
  it("books broker events in arrival order, after this process' hot work (a fan-out still sending) has ended", async () => {
    const events = new BrokerEventEmitter();
    const session = new BrokerSession({ accountId: "a-1", userId: "u-1", platform: "MT5", currency: "USD" }, { events } as unknown as BrokerPort, systemClock, createLogger({ level: "silent" }));
    const booked: string[] = [];
    const book = {
      connectionChanged: async (_s: BrokerSession, health: { state: string }) => void booked.push(health.state),
    } as unknown as PositionBook;
    const stop = followBrokerEvents(session, book);
    const health = (state: "connected" | "disconnected") => ({ health: { state, since: 0, reconnectAttempts: 0 }, previous: "connected" as const, time: 0, receivedAt: 0 });

    events.emit("connection", health("disconnected"));
    await session.idle();
    expect(booked).toEqual(["disconnected"]);

    const end = hotPath.begin();
    try {
      events.emit("connection", health("connected"));
      events.emit("connection", health("disconnected"));
      await turns(5);
      expect(booked).toEqual(["disconnected"]);
    } finally {
      end();
    }
    await session.idle();
    expect(booked).toEqual(["disconnected", "connected", "disconnected"]);
    stop();
  });
});
