import { describe, expect, it } from "vitest";
import type { CopyEvent } from "../../../prisma/index.ts";
import { copyStats } from "./copy-stats.ts";

let seq = 0;
const event = (over: Partial<CopyEvent>): CopyEvent => ({
  id: `e${++seq}`,
  linkId: "l",
  intentId: null,
  slaveAccountId: "s",
  masterDealId: `open.${seq}`,
  status: "COPIED",
  reasons: [],
  detectionMs: 1,
  decisionMs: 2,
  queueMs: 3,
  dispatchMs: 4,
  ackMs: 5,
  slippagePips: 0.5,
  createdAt: new Date(Date.UTC(2024, 0, 2) + seq * 1000),
  ...over,
});

describe("copyStats", () => {
  it("counts by status, skips and failures by their deciding (last) reason, and splits latency per stage", () => {
    const events = [
      event({ queueMs: 1, decisionMs: 1, dispatchMs: 1, ackMs: 10 }),
      ...Array.from({ length: 99 }, (_, i) => event({ status: i % 2 ? "ADJUSTED" : "COPIED", queueMs: i + 2, slippagePips: i / 10 })),
      event({ status: "SKIPPED", reasons: [{ code: "SRM_SL_BUFFERED", text: "" }, { code: "SRM_ACCOUNT_HALTED", text: "" }], queueMs: null, decisionMs: null, dispatchMs: null, ackMs: null, slippagePips: null }),
      event({ status: "SKIPPED", reasons: [{ code: "COPY_SYMBOL_EXCLUDED", text: "" }] }),
      event({ status: "FAILED", reasons: [{ code: "TRD_ERR_NO_MONEY", text: "" }] }),
      event({ status: "REPAIRED" }),
    ];
    const s = copyStats(events);
    expect(s.copies).toEqual({ total: 104, copied: 51, adjusted: 49, repaired: 1, skipped: 2, failed: 1 });
    expect(s.skippedByReason).toEqual({ SRM_ACCOUNT_HALTED: 1, COPY_SYMBOL_EXCLUDED: 1 });
    expect(s.failedByReason).toEqual({ TRD_ERR_NO_MONEY: 1 });
    // Stages count copies that were made: the 100 copied/adjusted and the repaired one.
    expect(s.latencyMs.queue.n).toBe(101);
    expect(s.latencyMs.queue.p50).toBe(50);
    expect(s.latencyMs.queue.p99).toBe(99);
    expect(s.latencyMs.internal.p50).toBe(56);
    expect(s.latencyMs.total.p50).toBe(s.latencyMs.internal.p50! + 1 + 5);
    expect(s.slippagePips.n).toBe(101);
    expect(s.window.events).toBe(104);
  });

  it("answers nulls, not zeros, without samples", () => {
    const s = copyStats([]);
    expect(s.latencyMs.total).toEqual({ p50: null, p99: null, n: 0 });
    expect(s.slippagePips.mean).toBeNull();
  });
});
