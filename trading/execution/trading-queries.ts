import { RiskloopError, notFound, ownedBy, type Actor } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import { closedTradeView, executionView, orderView, positionView, sessionMarketFacts, sessionQuote, type BrokerSessions } from "../sessions/index.ts";
import { ExecutionErrors } from "./execution.errors.ts";

/** A page of rows and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface HistoryFilter {
  from?: number;
  to?: number;
  symbol?: string;
  limit: number;
  cursor?: string;
}

/**
 * The owner-scoped reads of the trading API: positions (with live prices when the account is connected),
 * working orders, closed trades, executions, sync logs, symbol specifications and quotes. Another user's
 * account answers 404, exactly like a missing one.
 */
export class TradingQueries {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: BrokerSessions,
  ) {}

  async positions(actor: Actor, accountId: string) {
    await this.assertOwned(actor, accountId);
    const rows = await this.prisma.position.findMany({ where: { accountId, status: "OPEN" }, orderBy: { openedAt: "asc" } });
    const session = this.sessions.peek(accountId);
    const live = session && session.port.connectionState === "connected" ? new Map((await session.port.fetchPositions()).map((p) => [p.id, p])) : undefined;
    return rows.map((r) => {
      const view = positionView(r);
      const p = live?.get(r.brokerPositionId);
      return p ? { ...view, currentPrice: p.currentPrice?.toString() ?? view.currentPrice, profit: p.profit.toString(), swap: p.swap.toString() } : view;
    });
  }

  async orders(actor: Actor, accountId: string) {
    await this.assertOwned(actor, accountId);
    return (await this.prisma.order.findMany({ where: { accountId, state: "PLACED" }, orderBy: { createdAt: "asc" } })).map(orderView);
  }

  /** Closed trades, newest first, filtered by close time and symbol. */
  async history(actor: Actor, accountId: string, f: HistoryFilter): Promise<Page<ReturnType<typeof closedTradeView>>> {
    await this.assertOwned(actor, accountId);
    const rows = await this.prisma.closedTrade.findMany({
      where: {
        accountId,
        ...(f.symbol ? { symbol: f.symbol.toUpperCase() } : {}),
        ...(f.from !== undefined || f.to !== undefined ? { closeTime: { ...(f.from !== undefined ? { gte: new Date(f.from) } : {}), ...(f.to !== undefined ? { lt: new Date(f.to) } : {}) } } : {}),
      },
      orderBy: [{ closeTime: "desc" }, { id: "desc" }],
      take: f.limit + 1,
      ...(f.cursor ? { cursor: { id: f.cursor } } : {}),
    });
    return page(rows.map(closedTradeView), f.limit);
  }

  async executions(actor: Actor, accountId: string, f: { limit: number; cursor?: string }) {
    await this.assertOwned(actor, accountId);
    const rows = await this.prisma.executionLog.findMany({
      where: { accountId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: f.limit + 1,
      ...(f.cursor ? { cursor: { id: f.cursor } } : {}),
    });
    return page(rows.map(executionView), f.limit);
  }

  async syncLogs(actor: Actor, accountId: string, f: { limit: number; cursor?: string }) {
    await this.assertOwned(actor, accountId);
    const rows = await this.prisma.syncLog.findMany({
      where: { accountId },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: f.limit + 1,
      ...(f.cursor ? { cursor: { id: f.cursor } } : {}),
    });
    return page(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        startedAt: r.startedAt.toISOString(),
        durationMs: r.durationMs,
        itemsSynced: r.itemsSynced,
        itemsFailed: r.itemsFailed,
        error: r.error,
        details: r.details,
      })),
      f.limit,
    );
  }

  /** The symbol's specification as the account's venue states it. */
  async symbol(actor: Actor, accountId: string, symbol: string) {
    await this.assertOwned(actor, accountId);
    const facts = await sessionMarketFacts(await this.sessions.get(accountId), symbol);
    const s = facts.spec;
    return {
      symbol: s.symbol,
      digits: s.digits,
      pipSize: s.pipSize,
      contractSize: s.contractSize,
      minVolume: s.minVolume.toString(),
      maxVolume: s.maxVolume.toString(),
      volumeStep: s.volumeStep.toString(),
      marginRate: s.marginRate,
      baseCurrency: s.baseCurrency ?? null,
      quoteCurrency: s.quoteCurrency,
    };
  }

  /** The venue's current quote, with its age at the venue's now (a paper account lives in recorded time). */
  async quote(actor: Actor, accountId: string, symbol: string) {
    await this.assertOwned(actor, accountId);
    const session = await this.sessions.get(accountId);
    const spec = (await sessionMarketFacts(session, symbol)).spec;
    const q = await sessionQuote(session, spec.symbol);
    if (!q) throw new RiskloopError(ExecutionErrors.TRD_ERR_MARKET_NOT_OPEN, `the venue has no quote for ${spec.symbol} yet`, { field: "symbol" });
    const now = session.now();
    return { symbol: spec.symbol, bid: String(q.bid), ask: String(q.ask), time: new Date(q.time).toISOString(), venueTime: new Date(now).toISOString(), ageMs: Math.max(0, now - q.time) };
  }

  /** Throws CORE_ERR_NOT_FOUND unless the actor owns the account (admins own all); connects nothing. */
  async assertOwned(actor: Actor, accountId: string): Promise<void> {
    const row = await this.prisma.brokerAccount.findFirst({ where: { id: accountId, ...ownedBy(actor) }, select: { id: true } });
    if (!row) throw notFound("account", accountId);
  }
}

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? rows[limit]!.id : null };
}
