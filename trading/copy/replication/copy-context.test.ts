import { describe, expect, it } from "vitest";
import { combinedResult, markAnswered, markSent, skipped, timingOf, type CopyContext, type CopyResult } from "./copy-context.ts";
import { copyExitKey } from "./slave-targets.ts";

const copied = (id: string, slip: number): CopyResult => ({ status: "COPIED", reasons: [{ code: "SRM_OK", text: id }], intentId: `i-${id}`, slippagePips: slip, detail: { slavePositionId: id } });

describe("one signal carried out on several copies of a master position", () => {
  it("a single copy's result is kept as it is", () => {
    const one = copied("a", 0.2);
    expect(combinedResult([one])).toBe(one);
  });

  it("is COPIED when any copy was done, with every copy's reasons and outcome", () => {
    const r = combinedResult([copied("a", 0.2), skipped({ code: "COPY_PARTIAL_BELOW_MINIMUM", text: "too small" }, { slavePositionId: "b" })]);
    expect(r).toMatchObject({ status: "COPIED", intentId: "i-a", slippagePips: 0.2 });
    expect(r.reasons.map((x) => x.code)).toEqual(["SRM_OK", "COPY_PARTIAL_BELOW_MINIMUM"]);
    expect(r.detail?.copies).toEqual([
      { status: "COPIED", slavePositionId: "a", intentId: "i-a" },
      { status: "SKIPPED", slavePositionId: "b", intentId: null },
    ]);
  });

  it("is FAILED, and asks for the retry, when one copy failed transiently", () => {
    const retry = new Error("busy");
    const r = combinedResult([copied("a", 0.1), { status: "FAILED", reasons: [{ code: "TRD_ERR_BROKER_BUSY", text: "busy" }], retry, detail: { slavePositionId: "b" } }]);
    expect(r.status).toBe("FAILED");
    expect(r.retry).toBe(retry);
  });

  it("is SKIPPED when no copy was done", () => {
    expect(combinedResult([skipped({ code: "X", text: "x" }), skipped({ code: "Y", text: "y" })]).status).toBe("SKIPPED");
  });

  it("keys the first copy by the event and every later copy by the event and its position, whatever is still open", () => {
    const first = { id: "p1" };
    expect(copyExitKey("copy:m:close.1:s", first, first)).toBe("copy:m:close.1:s");
    expect(copyExitKey("copy:m:close.1:s", { id: "p2" }, first)).toBe("copy:m:close.1:s:p2");
    expect(copyExitKey("copy:m:close.1:s", { id: "p2" }, null)).toBe("copy:m:close.1:s");
  });
});

describe("a copy's latency split", () => {
  const context = (): CopyContext =>
    ({ task: { signal: { time: 1_000, receivedAt: 1_004 }, detectedAt: 1_005 }, startedAt: 1_010, decidedAt: 1_012 }) as unknown as CopyContext;

  it("splits dispatch and acknowledgement at the moment the order was handed to the broker", () => {
    const ctx = context();
    let told = 0;
    const onSent = markSent(ctx, () => told++);
    const before = Date.now();
    onSent();
    expect(told).toBe(1);
    expect(ctx.sentAt).toBeGreaterThanOrEqual(before);
    ctx.sentAt = 1_015;
    ctx.finishedAt = 1_120;
    expect(timingOf(ctx)).toEqual({ detectionMs: 4, queueMs: 5, decisionMs: 2, dispatchMs: 3, ackMs: 105 });
  });

  it("ends the acknowledgement when the broker answered, not when the copy's records were written", () => {
    const ctx = context();
    const before = Date.now();
    markAnswered(ctx)();
    expect(ctx.answeredAt).toBeGreaterThanOrEqual(before);
    ctx.sentAt = 1_015;
    ctx.answeredAt = 1_115;
    // The fill's bookkeeping waited for the rest of the fan-out: 300 ms that are ours, not the broker's.
    ctx.finishedAt = 1_415;
    expect(timingOf(ctx)).toEqual({ detectionMs: 4, queueMs: 5, decisionMs: 2, dispatchMs: 3, ackMs: 100 });
  });

  it("has no dispatch or acknowledgement when no order went out (skipped, or found at the broker)", () => {
    const ctx = context();
    ctx.finishedAt = 1_030;
    expect(timingOf(ctx)).toEqual({ detectionMs: 4, queueMs: 5, decisionMs: 2, dispatchMs: null, ackMs: null });
  });
});
