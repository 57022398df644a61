import { expect, it } from "vitest";
import { newTimeOrderedId } from "../../core/index.ts";
import { describeEachDatabase } from "../../test/kit/db.ts";
import { DecisionWriter, type PendingDecision } from "./decision-writer.ts";

describeEachDatabase("DecisionWriter", (getDb) => {
  async function account(): Promise<string> {
    const { prisma } = getDb();
    const user = await prisma.user.create({ data: { email: `writer-${newTimeOrderedId()}@example.com`, passwordHash: "x" } });
    return (await prisma.brokerAccount.create({ data: { userId: user.id, name: "writer", platform: "PAPER", currency: "USD" } })).id;
  }

  function decision(accountId: string, dedupKey: string): PendingDecision {
    const intentId = newTimeOrderedId();
    const at = new Date();
    return {
      intent: { id: intentId, source: "COPY", dedupKey, accountId, symbol: "EURUSD", side: "BUY", kind: "OPEN", volume: "0.1", signalTime: at, receivedAt: at, status: "DECIDED" },
      decision: { id: newTimeOrderedId(), intentId, accountId, action: "EXECUTE", features: {}, predictions: {}, baseLot: "0.1", adjustedLot: "0.1", reasonCodes: [], degraded: false, latencyUs: 1 },
    };
  }

  it("gives a key to its first claimant only, within one batch and across batches", async () => {
    const writer = new DecisionWriter(getDb().prisma);
    const key = `claim:${newTimeOrderedId()}`;
    const other = `claim:${newTimeOrderedId()}`;
    expect(await Promise.all([writer.claim(key), writer.claim(key), writer.claim(other)])).toEqual([true, false, true]);
    expect(await writer.claim(key)).toBe(false);
    expect(await getDb().prisma.intentClaim.count({ where: { dedupKey: { in: [key, other] } } })).toBe(2);
  });

  it("stores a decision with its claim, refuses a claimed key, and lets the claim's holder store under it once", async () => {
    const { prisma } = getDb();
    const writer = new DecisionWriter(prisma);
    const accountId = await account();

    const fresh = decision(accountId, `write:${newTimeOrderedId()}`);
    expect(await writer.write(fresh)).toBe(true);
    expect(await prisma.intentClaim.count({ where: { dedupKey: fresh.intent.dedupKey } })).toBe(1);
    expect(await prisma.srmDecision.count({ where: { id: fresh.decision.id } })).toBe(1);
    expect(await writer.write(decision(accountId, fresh.intent.dedupKey))).toBe(false);

    // Claimed and not yet stored (the hot path, or an attempt that died): `write` leaves it alone; the holder stores.
    const key = `held:${newTimeOrderedId()}`;
    expect(await writer.claim(key)).toBe(true);
    const refused = decision(accountId, key);
    expect(await writer.write(refused)).toBe(false);
    expect(await prisma.tradeIntent.count({ where: { dedupKey: key } })).toBe(0);
    const held = decision(accountId, key);
    const [stored, again] = await Promise.all([writer.store(held), writer.store(decision(accountId, key))]);
    expect([stored, again]).toEqual([true, false]);
    expect(await prisma.tradeIntent.findUniqueOrThrow({ where: { dedupKey: key }, include: { decision: true } })).toMatchObject({ id: held.intent.id, decision: { id: held.decision.id } });
    expect(await writer.store(decision(accountId, key))).toBe(false);
  });

  it("keeps a held key for its holder when another decider's write of the key shares the statement", async () => {
    const { prisma } = getDb();
    const writer = new DecisionWriter(prisma);
    const accountId = await account();
    const key = `mixed:${newTimeOrderedId()}`;
    expect(await writer.claim(key)).toBe(true);
    const intruder = decision(accountId, key);
    const held = decision(accountId, key);
    // Submitted together, the write first: both go in one statement.
    expect(await Promise.all([writer.write(intruder), writer.store(held)])).toEqual([false, true]);
    expect(await prisma.tradeIntent.findUniqueOrThrow({ where: { dedupKey: key }, select: { id: true } })).toEqual({ id: held.intent.id });
  });

  it("prunes old claims of stored intents, after which the stored intent alone keeps the key taken", async () => {
    const { prisma } = getDb();
    const writer = new DecisionWriter(prisma);
    const accountId = await account();
    const stored = decision(accountId, `pruned:${newTimeOrderedId()}`);
    expect(await writer.write(stored)).toBe(true);
    const undecided = `undecided:${newTimeOrderedId()}`;
    expect(await writer.claim(undecided)).toBe(true);
    const young = decision(accountId, `young:${newTimeOrderedId()}`);
    expect(await writer.write(young)).toBe(true);
    const cutoff = new Date(Date.now() + 60_000);
    await prisma.intentClaim.update({ where: { dedupKey: young.intent.dedupKey }, data: { claimedAt: new Date(cutoff.getTime() + 60_000) } });

    expect(await writer.prune(cutoff)).toBeGreaterThanOrEqual(1);
    const left = await prisma.intentClaim.findMany({ where: { dedupKey: { in: [stored.intent.dedupKey, undecided, young.intent.dedupKey] } }, select: { dedupKey: true } });
    // The claim left without a decision stays (it marks an attempt that may have sent), as does the young one.
    expect(left.map((c) => c.dedupKey).sort()).toEqual([undecided, young.intent.dedupKey].sort());

    // Neither the hot path's claim nor a plain write takes the pruned key again, and nothing is claimed anew.
    expect(await writer.claim(stored.intent.dedupKey)).toBe(false);
    expect(await writer.write(decision(accountId, stored.intent.dedupKey))).toBe(false);
    expect(await prisma.intentClaim.count({ where: { dedupKey: stored.intent.dedupKey } })).toBe(0);
    expect(await prisma.tradeIntent.findUniqueOrThrow({ where: { dedupKey: stored.intent.dedupKey }, select: { id: true } })).toEqual({ id: stored.intent.id });
  });
});
