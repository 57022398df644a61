import type { Decimal, Logger } from "../../core/index.ts";
import type { ClosedTrade as ClosedTradeRow, Prisma, PrismaClient } from "../../prisma/index.ts";
import { applyTrade, closedTradeFromRow, createScoreState, scoreOf, updateProviderMetricsOnClose, type ScoreState } from "../../srm/index.ts";
import type { BookHooks, BrokerSession } from "../sessions/index.ts";

/** What the risk monitor asks for after an account update. */
export interface RiskActions {
  /** Emergency stop: close every open position of the account now. */
  closePositions: boolean;
  /** The account's risk state after the update (ACTIVE, REDUCING, HALTED). */
  state: string;
  verdicts: readonly unknown[];
}

/** The slice of srm/risk's RiskMonitor execution calls; optional, so trading works before it is wired. */
export interface RiskMonitorPort {
  onAccountUpdate(accountId: string, update: { balance: Decimal; equity: Decimal; at: number }): Promise<RiskActions>;
}

/**
 * What follows a booked trade or a money update: the provider score of a master account is updated with the
 * closed trade (O(1), `applyTrade`), and the risk monitor sees every balance/equity change; when it calls for
 * an emergency stop, every open position of the account is closed (reason EMERGENCY), one stop at a time.
 */
export class RiskFollowUp implements BookHooks {
  readonly #stopping = new Set<string>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly monitor: RiskMonitorPort | undefined,
    private readonly closeAll: (accountId: string) => Promise<void>,
  ) {}

  async tradeClosed(_session: BrokerSession, trade: ClosedTradeRow): Promise<void> {
    if (!trade.providerId) return;
    const provider = await this.prisma.signalProvider.findUnique({ where: { id: trade.providerId }, select: { scoreState: true, tradeCount: true, firstTradeAt: true } });
    if (!provider) return;
    const state = applyTrade((provider.scoreState as ScoreState | null) ?? createScoreState(), closedTradeFromRow(trade));
    const score = scoreOf(state, trade.closeTime.getTime());
    await this.prisma.signalProvider.update({
      where: { id: trade.providerId },
      data: {
        scoreState: state as unknown as Prisma.InputJsonValue,
        score: score.score,
        scoreUncertainty: score.uncertainty,
        tradeCount: provider.tradeCount + 1,
        firstTradeAt: provider.firstTradeAt ?? trade.openTime,
        lastTradeAt: trade.closeTime,
      },
    });
    // Period metrics follow each close; a failure there must never undo or block the booking itself.
    await updateProviderMetricsOnClose(this.prisma, trade.providerId, trade.closeTime).catch((err: unknown) =>
      this.logger.warn({ err, providerId: trade.providerId }, "provider metrics could not be updated after a close"),
    );
  }

  async accountUpdated(session: BrokerSession, money: { balance: Decimal; equity: Decimal; at: number }): Promise<void> {
    if (!this.monitor) return;
    const actions = await this.monitor.onAccountUpdate(session.accountId, money);
    if (!actions.closePositions || this.#stopping.has(session.accountId)) return;
    this.#stopping.add(session.accountId);
    try {
      this.logger.warn({ accountId: session.accountId, state: actions.state }, "emergency stop: closing every open position");
      await this.closeAll(session.accountId);
    } finally {
      this.#stopping.delete(session.accountId);
    }
  }
}
