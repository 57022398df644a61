import { describe, expect, it } from "vitest";
import { dec } from "../../core/index.ts";
import { BrokerEventEmitter } from "./broker-events.ts";
import type { BrokerPrice } from "./broker-types.ts";

const quote = (bid: string): BrokerPrice => ({ symbol: "EURUSD", bid: dec(bid), ask: dec(bid).plus("0.0001"), time: 1, receivedAt: 2 });

describe("BrokerEventEmitter", () => {
  it("delivers typed events to listeners until they unsubscribe", () => {
    const events = new BrokerEventEmitter();
    const seen: string[] = [];
    const off = events.on("price", (p) => seen.push(p.bid.toString()));
    events.emit("price", quote("1.1"));
    off();
    events.emit("price", quote("1.2"));
    expect(seen).toEqual(["1.1"]);
    expect(events.listenerCount("price")).toBe(0);
  });

  it("keeps delivering when one listener throws, and reports the failure", () => {
    const failures: string[] = [];
    const events = new BrokerEventEmitter((name) => failures.push(name));
    const seen: number[] = [];
    events.on("price", () => {
      throw new Error("bad consumer");
    });
    events.on("price", (p) => seen.push(p.time));
    events.emit("price", quote("1.1"));
    expect(seen).toEqual([1]);
    expect(failures).toEqual(["price"]);
  });

  it("resolves next() with the first matching event and then stops listening", async () => {
    const events = new BrokerEventEmitter();
    const wanted = events.next("price", (p) => p.bid.gt("1.15"));
    events.emit("price", quote("1.1"));
    events.emit("price", quote("1.2"));
    expect((await wanted).bid.toString()).toBe("1.2");
    expect(events.listenerCount("price")).toBe(0);
  });
});
