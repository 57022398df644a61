import { beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../test/kit/fake-clock.ts";
import { backoffDelay } from "./backoff.ts";
import { brokerError, isBrokerError, type BrokerErrorCode } from "./broker-errors.ts";
import type { ConnectionState } from "./broker-types.ts";
import { ConnectionSupervisor, type LinkUp } from "./connection-supervisor.ts";
import { ManualTimers } from "./testing/manual-timers.ts";

describe("backoffDelay", () => {
  it("doubles from the base, caps at the max, and jitter only shortens", () => {
    const policy = { baseMs: 1000, maxMs: 10_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(policy, a))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay({ ...policy, jitter: 0.2 }, 3, () => 0.5)).toBe(3600);
    expect(backoffDelay({ ...policy, jitter: 0.2 }, 3, () => 0)).toBe(4000);
  });
});

describe("ConnectionSupervisor", () => {
  let clock: FakeClock;
  let timers: ManualTimers;
  let outcomes: (BrokerErrorCode | "ok")[];
  let opens: number;
  let closes: number;
  let states: ConnectionState[];
  let ups: LinkUp[];

  const make = (maxAttempts = 0) =>
    new ConnectionSupervisor({
      clock,
      timers,
      random: () => 0,
      backoff: { baseMs: 1000, maxMs: 8000, jitter: 0.2 },
      maxAttempts,
      graceMs: 30_000,
      open: async () => {
        opens++;
        const next = outcomes.shift() ?? "ok";
        if (next !== "ok") throw brokerError(next, `attempt ${opens} failed`);
      },
      close: async () => {
        closes++;
      },
      classify: (err) => (isBrokerError(err) ? err : brokerError("TRD_ERR_NOT_CONNECTED", String(err))),
      onHealth: (h) => states.push(h.state),
      onUp: (up) => ups.push(up),
    });

  beforeEach(() => {
    clock = new FakeClock();
    timers = new ManualTimers(clock);
    outcomes = [];
    opens = 0;
    closes = 0;
    states = [];
    ups = [];
  });

  it("retries a failing first connect with backoff 1 s, 2 s, 4 s and reports each step in health", async () => {
    outcomes = ["TRD_ERR_NOT_CONNECTED", "TRD_ERR_TIMEOUT", "TRD_ERR_NOT_SYNCHRONIZED"];
    const s = make();
    const t0 = clock.now();
    await expect(s.start()).rejects.toMatchObject({ code: "TRD_ERR_NOT_CONNECTED" });
    expect(s.health()).toMatchObject({ state: "disconnected", reconnectAttempts: 1, nextAttemptAt: t0 + 1000, lastError: { code: "TRD_ERR_NOT_CONNECTED" } });
    expect(timers.pendingDelays()).toEqual([1000]);

    await timers.advance(999);
    expect(opens).toBe(1);
    await timers.advance(1);
    expect(opens).toBe(2);
    expect(s.health()).toMatchObject({ reconnectAttempts: 2, lastError: { code: "TRD_ERR_TIMEOUT" } });
    expect(timers.pendingDelays()).toEqual([2000]);

    await timers.advance(2000);
    expect(s.health().reconnectAttempts).toBe(3);
    expect(timers.pendingDelays()).toEqual([4000]);
    await timers.advance(4000);

    expect(opens).toBe(4);
    expect(closes).toBe(3);
    expect(s.health()).toMatchObject({ state: "connected", reconnectAttempts: 0, since: t0 + 7000 });
    expect(s.health().nextAttemptAt).toBeUndefined();
    expect(ups).toEqual([{ reason: "initial", attempts: 3, upAt: t0 + 7000 }]);
    expect(states.filter((x, i) => x !== states[i - 1])).toEqual(["connecting", "disconnected", "connecting", "disconnected", "connecting", "disconnected", "connecting", "connected"]);
  });

  it("stops in state failed on a fatal error, with nothing scheduled", async () => {
    outcomes = ["TRD_ERR_AUTH"];
    const s = make();
    await expect(s.start()).rejects.toMatchObject({ code: "TRD_ERR_AUTH" });
    expect(s.health()).toMatchObject({ state: "failed", lastError: { code: "TRD_ERR_AUTH" } });
    expect(timers.pendingDelays()).toEqual([]);
  });

  it("gives up after maxAttempts consecutive failures", async () => {
    outcomes = ["TRD_ERR_NOT_CONNECTED", "TRD_ERR_NOT_CONNECTED"];
    const s = make(2);
    await s.start().catch(() => {});
    await timers.advance(1000);
    expect(s.health()).toMatchObject({ state: "failed", reconnectAttempts: 2 });
    expect(timers.pendingDelays()).toEqual([]);
  });

  it("lets the SDK heal a dropped link within the grace period, then reports a reconnect with the outage start", async () => {
    const s = make();
    await s.start();
    const lostAt = clock.now() + 5000;
    await timers.advance(5000);
    s.linkLost("socket closed");
    expect(s.health()).toMatchObject({ state: "connecting", lastError: { code: "TRD_ERR_NOT_CONNECTED", message: "socket closed" } });
    await timers.advance(10_000);
    s.linkSynchronizing();
    expect(s.state).toBe("synchronizing");
    s.linkRestored();
    expect(s.state).toBe("connected");
    expect(opens).toBe(1);
    expect(ups.at(-1)).toEqual({ reason: "reconnect", attempts: 0, lostAt, upAt: lostAt + 10_000 });
    expect(timers.pendingDelays()).toEqual([]);
  });

  it("rebuilds the link itself when the grace period passes, then backs off on failures", async () => {
    const s = make();
    await s.start();
    s.linkLost("socket closed");
    outcomes = ["TRD_ERR_NOT_CONNECTED"];
    await timers.advance(30_000);
    expect(closes).toBe(1);
    expect(opens).toBe(2);
    expect(s.health()).toMatchObject({ state: "disconnected", reconnectAttempts: 1 });
    expect(timers.pendingDelays()).toEqual([1000]);
    await timers.advance(1000);
    expect(s.state).toBe("connected");
    expect(ups.at(-1)).toMatchObject({ reason: "reconnect", attempts: 1 });
  });

  it("cancels scheduled attempts on stop", async () => {
    outcomes = ["TRD_ERR_NOT_CONNECTED"];
    const s = make();
    await s.start().catch(() => {});
    await s.stop();
    await timers.advance(60_000);
    expect(opens).toBe(1);
    expect(s.health()).toMatchObject({ state: "disconnected", reconnectAttempts: 0 });
  });

  it("shows a lost broker server as connecting without rebuilding anything", async () => {
    const s = make();
    await s.start();
    s.brokerLink(false);
    expect(s.state).toBe("connecting");
    s.brokerLink(true);
    expect(s.state).toBe("connected");
    expect(opens).toBe(1);
    expect(ups).toHaveLength(1);
  });
});
