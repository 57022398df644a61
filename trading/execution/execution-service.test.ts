import { describe, expect, it } from "vitest";
import { createLogger, dec, type TradeIntent } from "../../core/index.ts";
import type { AuditLog, PrismaClient } from "../../prisma/index.ts";
import type { ApprovedDecision } from "../../srm/index.ts";
import type { BrokerSessions, PositionBook } from "../sessions/index.ts";
import { ExecutionService } from "./execution-service.ts";

const intent: TradeIntent = {
  id: "i-1",
  source: "MANUAL",
  dedupKey: "test:1",
  accountId: "a-1",
  symbol: "EURUSD",
  side: "BUY",
  kind: "OPEN",
  volume: dec("0.1"),
  signalTime: 0,
  receivedAt: 0,
};

/** A service whose every collaborator fails the test if touched: a refused approval must reach nothing. */
function isolatedService(): { service: ExecutionService; touched: string[] } {
  const touched: string[] = [];
  const trap = <T>(name: string) =>
    new Proxy({}, {
      get: (_t, prop) => {
        touched.push(`${name}.${String(prop)}`);
        return () => Promise.reject(new Error(`${name} must not be used`));
      },
    }) as T;
  const service = new ExecutionService(trap<PrismaClient>("prisma"), trap<BrokerSessions>("sessions"), trap<PositionBook>("book"), trap<AuditLog>("audit"), () => null, createLogger({ level: "silent" }));
  return { service, touched };
}

describe("ExecutionService.execute", () => {
  it("does not compile with a hand-made decision, and refuses a cast one at run time before touching anything", async () => {
    const { service, touched } = isolatedService();
    const handMade = {
      decisionId: "d-1",
      intent,
      userId: "u-1",
      lot: dec("0.1"),
      stopLoss: undefined,
      takeProfit: undefined,
      predictedSlippageP50: null,
      predictedSlippageP90: null,
      providerScore: null,
      decidedAt: 0,
    };
    // @ts-expect-error: only SRM can create an ApprovedDecision, so code that skips SRM does not type-check.
    await expect(service.execute(handMade)).rejects.toMatchObject({ code: "TRD_ERR_NOT_APPROVED", kind: "fatal" });
    await expect(service.execute(handMade as unknown as ApprovedDecision)).rejects.toMatchObject({ code: "TRD_ERR_NOT_APPROVED" });
    await expect(service.execute(null as unknown as ApprovedDecision)).rejects.toMatchObject({ code: "TRD_ERR_NOT_APPROVED" });
    expect(touched).toEqual([]);
  });
});
