import { newTimeOrderedId } from "../../core/index.ts";
import { seededRandom } from "../../models/index.ts";
import type { Database } from "../../prisma/index.ts";

/**
 * Seeds filled executions whose slippage follows a known law (higher with ATR and spread, off-hours worse),
 * plus the user and accounts they belong to. `signal` scales how much the law explains versus noise, so a
 * test can make one window more learnable than another.
 */
export async function seedExecutions(db: Database, opts: { n: number; seed: number; from: number; stepMs?: number; signal?: number; accounts?: number }): Promise<{ accountIds: string[] }> {
  const rnd = seededRandom(opts.seed);
  const prisma = db.prisma;
  const user = await prisma.user.create({ data: { email: `exec-${opts.seed}-${newTimeOrderedId()}@example.com`, passwordHash: "x", role: "USER", plan: "PRO" } });
  const accountIds: string[] = [];
  for (let a = 0; a < (opts.accounts ?? 3); a++) {
    const acc = await prisma.brokerAccount.create({ data: { userId: user.id, name: `exec ${a}`, platform: "PAPER" } });
    accountIds.push(acc.id);
  }
  const sessions = ["LONDON", "NEW_YORK", "OVERLAP_LONDON_NY", "TOKYO", "OFF_HOURS"];
  const symbols = ["EURUSD", "GBPUSD", "XAUUSD"];
  const signal = opts.signal ?? 1;
  const data = Array.from({ length: opts.n }, (_, i) => {
    const session = sessions[Math.floor(rnd.next() * sessions.length)]!;
    const symbol = symbols[Math.floor(rnd.next() * symbols.length)]!;
    const pip = symbol === "XAUUSD" ? 0.01 : 0.0001;
    const atrPips = 2 + rnd.next() * 18;
    const spreadPips = 0.5 + rnd.next() * 2;
    const law = 0.08 * atrPips + 0.4 * spreadPips + (session === "OFF_HOURS" ? 1.5 : 0);
    const noise = Math.abs(rnd.normal()) * 0.6;
    const slip = Math.max(0, signal * law + (1 - signal) * 1.2 + noise - 0.5);
    const at = new Date(opts.from + i * (opts.stepMs ?? 60_000));
    const requested = symbol === "XAUUSD" ? 2000 : 1.1;
    return {
      id: newTimeOrderedId(at.getTime()),
      accountId: accountIds[i % accountIds.length]!,
      clientOrderId: `seed-${opts.seed}-${i}-${newTimeOrderedId()}`,
      symbol,
      side: rnd.next() < 0.5 ? ("BUY" as const) : ("SELL" as const),
      kind: rnd.next() < 0.5 ? ("SL_FILL" as const) : ("OPEN" as const),
      volume: "0.10",
      requestedPrice: String(requested),
      filledPrice: String(requested + slip * pip),
      slippagePips: Number(slip.toFixed(3)),
      marketAtr: atrPips * pip,
      tradingSession: session,
      dayOfWeek: at.getUTCDay(),
      volatilityIndex: rnd.next(),
      spread: String(spreadPips * pip),
      status: "FILLED" as const,
      origin: "PAPER" as const,
      requestedAt: at,
      filledAt: at,
    };
  });
  for (let i = 0; i < data.length; i += 1000) await prisma.executionLog.createMany({ data: data.slice(i, i + 1000) });
  return { accountIds };
}
