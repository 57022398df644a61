import { describe, expect, it } from "vitest";
import { RiskloopError, systemClock } from "../../core/index.ts";
import type { BrokerPort } from "./broker-port.ts";
import { BrokerRegistry, type BrokerAccountConfig } from "./broker-registry.ts";

const account = (platform: BrokerAccountConfig["platform"]): BrokerAccountConfig => ({ accountId: "acc-1", platform });

describe("BrokerRegistry", () => {
  it("builds the adapter registered for the account's platform, passing account and deps", async () => {
    const registry = new BrokerRegistry();
    const seen: unknown[] = [];
    const fake = { venue: "paper" } as unknown as BrokerPort;
    registry.register("PAPER", (acc, deps) => {
      seen.push(acc.accountId, deps.clock);
      return fake;
    });
    expect(await registry.create(account("PAPER"), { clock: systemClock })).toBe(fake);
    expect(seen).toEqual(["acc-1", systemClock]);
    expect(registry.platforms()).toEqual(["PAPER"]);
  });

  it("fails with TRD_ERR_UNSUPPORTED_PLATFORM when no venue serves the platform", async () => {
    const err = await new BrokerRegistry().create(account("MT5"), { clock: systemClock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RiskloopError);
    expect((err as RiskloopError).code).toBe("TRD_ERR_UNSUPPORTED_PLATFORM");
  });

  it("refuses a second factory for a platform unless replacing on purpose", () => {
    const registry = new BrokerRegistry();
    registry.register("PAPER", () => ({}) as BrokerPort);
    expect(() => registry.register("PAPER", () => ({}) as BrokerPort)).toThrow(/already registered/);
    registry.register("PAPER", () => ({}) as BrokerPort, { replace: true });
    expect(registry.has("PAPER")).toBe(true);
  });
});
