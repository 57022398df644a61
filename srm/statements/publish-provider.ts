import { CoreErrors, RiskloopError, notFound, ownedBy, type Actor } from "../../core/index.ts";
import type { AuditLog, PrismaClient } from "../../prisma/index.ts";
import { providerScoreColumns, SCORE_TRADE_SELECT, scoreOfStored } from "./provider-score.ts";

export interface PublishProviderInput {
  masterAccountId: string;
  name: string;
}

/** A provider as its owner sees it right after publishing. */
export interface PublishedProvider {
  id: string;
  name: string;
  masterAccountId: string;
  source: "ACCOUNT";
  isDemo: boolean;
  score: number | null;
  scoreUncertainty: number | null;
  tradeCount: number;
  createdAt: string;
}

/**
 * Makes one of the actor's accounts a signal provider that other users can follow (a copy link names its
 * account as master). Its record starts with the account's closed trades so far: they are attributed to the
 * provider and scored in one transaction, and every trade it closes later updates the score as it is booked.
 * A paper account is marked demo (its fills are simulated). One provider per account: a second is refused (409).
 */
export async function publishProvider(prisma: PrismaClient, audit: AuditLog, actor: Actor, input: PublishProviderInput, ip?: string): Promise<PublishedProvider> {
  const account = await prisma.brokerAccount.findFirst({ where: { id: input.masterAccountId, ...ownedBy(actor) }, select: { id: true, userId: true, platform: true } });
  if (!account) throw notFound("account", input.masterAccountId);
  const provider = await prisma.$transaction(async (tx) => {
    if (await tx.signalProvider.findUnique({ where: { masterAccountId: account.id }, select: { id: true } })) {
      throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, "this account is already a signal provider", { field: "masterAccountId", reason: "PROVIDER_EXISTS" });
    }
    const created = await tx.signalProvider.create({ data: { ownerId: account.userId, masterAccountId: account.id, name: input.name, source: "ACCOUNT", isDemo: account.platform === "PAPER" } });
    await tx.closedTrade.updateMany({ where: { accountId: account.id, providerId: null }, data: { providerId: created.id } });
    const trades = await tx.closedTrade.findMany({ where: { providerId: created.id }, select: SCORE_TRADE_SELECT });
    return trades.length === 0 ? created : tx.signalProvider.update({ where: { id: created.id }, data: providerScoreColumns(scoreOfStored(trades)) });
  });
  const view: PublishedProvider = {
    id: provider.id,
    name: provider.name,
    masterAccountId: account.id,
    source: "ACCOUNT",
    isDemo: provider.isDemo,
    score: provider.score,
    scoreUncertainty: provider.scoreUncertainty,
    tradeCount: provider.tradeCount,
    createdAt: provider.createdAt.toISOString(),
  };
  await audit.record({ actorUserId: actor.id, action: "provider.publish", entityType: "signal_provider", entityId: provider.id, after: view, ip });
  return view;
}
