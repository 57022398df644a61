import { CoreErrors, RiskloopError, notFound, ownedBy, type Actor, type Plan } from "../../core/index.ts";
import type { AuditLog, Prisma, PrismaClient, TradingStrategy } from "../../prisma/index.ts";

/** Trading strategies a plan may hold. */
export const STRATEGY_LIMIT: Readonly<Record<Plan, number>> = { FREE: 1, PRO: 10, ENTERPRISE: 100 };

export interface CreateStrategyInput {
  name: string;
  type: "MANUAL" | "AI_GENERATED" | "TEMPLATE";
  /** The account it trades on; must be the caller's. */
  accountId?: string;
  parameters?: Record<string, unknown>;
  riskSettings?: Record<string, unknown>;
}

/** Trading strategies of a user, created within the plan's limit (the count and the insert share one transaction). */
export class StrategyService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, input: CreateStrategyInput, ip?: string): Promise<TradingStrategy> {
    if (input.accountId && !(await this.prisma.brokerAccount.findFirst({ where: { id: input.accountId, ...ownedBy(actor) }, select: { id: true } }))) {
      throw notFound("account", input.accountId);
    }
    return this.prisma.$transaction(async (tx) => {
      const count = await tx.tradingStrategy.count({ where: { userId: actor.id } });
      const limit = STRATEGY_LIMIT[actor.plan];
      if (count >= limit) throw new RiskloopError(CoreErrors.CORE_ERR_FORBIDDEN, `plan ${actor.plan} allows ${limit} trading strategies`, { limit });
      const created = await tx.tradingStrategy.create({
        data: {
          userId: actor.id,
          accountId: input.accountId ?? null,
          name: input.name,
          type: input.type,
          parameters: (input.parameters ?? {}) as Prisma.InputJsonValue,
          riskSettings: (input.riskSettings ?? {}) as Prisma.InputJsonValue,
        },
      });
      await this.audit.record({ actorUserId: actor.id, action: "strategy.create", entityType: "trading_strategy", entityId: created.id, after: created, ip }, tx);
      return created;
    });
  }

  async list(actor: Actor): Promise<TradingStrategy[]> {
    return this.prisma.tradingStrategy.findMany({ where: ownedBy(actor), orderBy: { createdAt: "asc" } });
  }
}
