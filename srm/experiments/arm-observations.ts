import type { PrismaClient } from "../../prisma/index.ts";
import type { Variant } from "./assignment.ts";

/** What one arm produced during the experiment, per unit of analysis. */
export interface ArmObservations {
  /** Assigned accounts (the randomisation units). */
  units: number;
  /** Net P/L (profit + commission + swap) per closed trade, with the trade's account. */
  pnl: { values: number[]; accounts: string[] };
  /** Per account with trades: largest peak-to-trough fall of equity, as a fraction of the starting balance. */
  maxDrawdown: number[];
  /** Per assigned account: trades closed by a stop-out. */
  stopOuts: number[];
  /** Slippage in pips per filled execution, with the execution's account. */
  slippage: { values: number[]; accounts: string[] };
}

const CHUNK = 5000;

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await query(ids.slice(i, i + CHUNK))));
  return out;
}

/**
 * Largest fall of equity from its running peak, as a fraction of that peak, along a sequence of trade results
 * starting from `start`; null when the starting balance is not positive.
 */
export function maxDrawdownFraction(start: number, pnls: readonly number[]): number | null {
  if (!(start > 0)) return null;
  let equity = start;
  let peak = start;
  let worst = 0;
  for (const p of pnls) {
    equity += p;
    peak = Math.max(peak, equity);
    worst = Math.max(worst, (peak - equity) / peak);
  }
  return worst;
}

/**
 * Loads both arms' observations for the window [from, to]. Trades count when they were opened at or after the
 * start (a trade opened before it was decided under the old policy) and closed by `to`. An account's starting
 * balance is its balance now minus the net P/L of those trades (exact while the experiment runs; after a stop it
 * ignores what was earned since).
 */
export async function loadArmObservations(prisma: PrismaClient, testId: string, window: { from: Date; to: Date }): Promise<Record<Variant, ArmObservations>> {
  const assignments = await prisma.srmAbAssignment.findMany({ where: { testId }, select: { accountId: true, variant: true } });
  const armOf = new Map(assignments.map((a) => [a.accountId, a.variant]));
  const ids = [...armOf.keys()];
  const trades = await inChunks(ids, (chunk) =>
    prisma.closedTrade.findMany({
      where: { accountId: { in: chunk }, openTime: { gte: window.from }, closeTime: { lte: window.to } },
      orderBy: [{ closeTime: "asc" }, { id: "asc" }],
      select: { accountId: true, profit: true, commission: true, swap: true, closeReason: true },
    }),
  );
  const fills = await inChunks(ids, (chunk) =>
    prisma.executionLog.findMany({
      where: { accountId: { in: chunk }, status: "FILLED", slippagePips: { not: null }, requestedAt: { gte: window.from, lte: window.to } },
      select: { accountId: true, slippagePips: true },
    }),
  );
  const balances = new Map((await inChunks(ids, (chunk) => prisma.brokerAccount.findMany({ where: { id: { in: chunk } }, select: { id: true, balance: true } }))).map((b) => [b.id, Number(b.balance.toString())]));

  const empty = (): ArmObservations => ({ units: 0, pnl: { values: [], accounts: [] }, maxDrawdown: [], stopOuts: [], slippage: { values: [], accounts: [] } });
  const arms: Record<Variant, ArmObservations> = { CONTROL: empty(), TREATMENT: empty() };
  const byAccount = new Map<string, { pnls: number[]; stopOuts: number }>(ids.map((id) => [id, { pnls: [], stopOuts: 0 }]));
  for (const t of trades) {
    const net = Number(t.profit.add(t.commission).add(t.swap).toString());
    const acc = byAccount.get(t.accountId!)!;
    acc.pnls.push(net);
    if (t.closeReason === "STOP_OUT") acc.stopOuts++;
    const arm = arms[armOf.get(t.accountId!)!];
    arm.pnl.values.push(net);
    arm.pnl.accounts.push(t.accountId!);
  }
  for (const f of fills) {
    const arm = arms[armOf.get(f.accountId)!];
    arm.slippage.values.push(f.slippagePips!);
    arm.slippage.accounts.push(f.accountId);
  }
  for (const [id, acc] of byAccount) {
    const arm = arms[armOf.get(id)!];
    arm.units++;
    arm.stopOuts.push(acc.stopOuts);
    if (acc.pnls.length === 0) continue;
    const start = (balances.get(id) ?? 0) - acc.pnls.reduce((a, b) => a + b, 0);
    const dd = maxDrawdownFraction(start, acc.pnls);
    if (dd !== null) arm.maxDrawdown.push(dd);
  }
  return arms;
}
