import { conventionalPipSize, Decimal, invalid, notFound } from "../../core/index.ts";
import { sessionAt } from "../../analysis/session/index.ts";
import type { AuditLog, Prisma, PrismaClient } from "../../prisma/index.ts";
import type { ScoreState } from "../score/index.ts";
import { demoVerdict, exitFillOf, type ExitFill } from "./exit-fill.ts";
import { contextOfEach, noFillContext, type FillContext, type FillContextLookup } from "./fill-context.ts";
import { providerScoreColumns, SCORE_TRADE_SELECT, updateProviderScore, type ScoreUpdate } from "./provider-score.ts";
import { netOf, type ParsedStatement, type SkippedRows, type StatementTrade } from "./statement.ts";
import { summaryNumber } from "./statement-fields.ts";
import { canonicalSymbol } from "./statement-symbol.ts";

/** Options of `importStatement`. */
export interface ImportStatementOptions {
  /** Provider name; re-importing under the same name adds to the same provider. @defaultValue broker + account number, else the file's stem */
  name?: string;
  /** Mark the provider as a demo account whatever the detection says. */
  demo?: boolean;
  /** Email of the user who owns the new broker account; @defaultValue the first admin */
  ownerEmail?: string;
  /** Market context for the fills; @defaultValue none (session and day of week only) */
  context?: FillContextLookup;
}

/** What one import did, for the CLI's summary. */
export interface ImportSummary {
  file: string;
  format: ParsedStatement["format"];
  timeZone: string;
  provider: { id: string; name: string; created: boolean; isDemo: boolean; demoReasons: string[] };
  accountId: string;
  trades: { read: number; imported: number; alreadyPresent: number };
  skipped: SkippedRows;
  fills: { sl: number; tp: number; imported: number; alreadyPresent: number; withoutLevel: number; nonZeroShare: number | null; withMarketContext: number };
  /** The statement's own net profit against the rows read (imported trades plus the skipped aggregate rows). */
  reconciliation: { statementNet: string | null; tradesNet: string; aggregatesNet: string; matches: boolean | null };
  score: { update: ScoreUpdate; score: number | null; uncertainty: number | null; tradeCount: number; asOf: string | null };
}

const BATCH = 1000;

/** The provider name used when none is given: the broker and account number, or the file's stem. */
export function defaultProviderName(st: ParsedStatement): string {
  const broker = st.header.broker || "MT4";
  return st.header.account ? `${broker} ${st.header.account}` : `${broker} ${st.stem}`;
}

async function ownerOf(prisma: PrismaClient, email: string | undefined): Promise<string> {
  if (email) {
    const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
    if (!user) throw notFound("user", email);
    return user.id;
  }
  const admin = await prisma.user.findFirst({ where: { role: "ADMIN", active: true }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (!admin) throw invalid("owner", "no admin user exists to own the imported account: pass --owner EMAIL or create one with `riskloop users:create --role ADMIN`");
  return admin.id;
}

interface Exit {
  trade: StatementTrade;
  fill: ExitFill;
  context: FillContext | null;
}

/** Every labelled SL/TP exit with its fill and, where the lookup knows it, the market context at the close. */
async function exitsOf(trades: readonly StatementTrade[], lookup: FillContextLookup): Promise<{ exits: Exit[]; withoutLevel: number }> {
  const exits: Exit[] = [];
  let withoutLevel = 0;
  for (const trade of trades) {
    const fill = exitFillOf(trade);
    if (fill) exits.push({ trade, fill, context: null });
    else if (trade.closeReason === "SL" || trade.closeReason === "TP") withoutLevel++;
  }
  const contexts = await contextOfEach(lookup, exits.map((e) => ({ symbol: canonicalSymbol(e.trade.symbol), time: e.trade.closeTime })));
  exits.forEach((e, i) => (e.context = contexts[i]!));
  return { exits, withoutLevel };
}

const sum = (xs: readonly StatementTrade[]): Decimal => xs.reduce((s, t) => s.plus(netOf(t)), new Decimal(0));

/**
 * Imports a parsed statement as a signal provider in one transaction: the provider (source STATEMENT_IMPORT)
 * and its MT4 master account on first import, the closed trades not yet stored, an execution log per SL/TP
 * exit (`stmt:<providerId>:<ticket>`), and the score folded over the new trades. Re-importing adds nothing;
 * if anything fails, nothing is committed.
 */
export async function importStatement(prisma: PrismaClient, audit: AuditLog, st: ParsedStatement, opts: ImportStatementOptions = {}): Promise<ImportSummary> {
  const name = opts.name?.trim() || defaultProviderName(st);
  const ownerId = await ownerOf(prisma, opts.ownerEmail);
  const { exits, withoutLevel } = await exitsOf(st.trades, opts.context ?? noFillContext);
  const verdict = demoVerdict(st.header, exits.map((e) => e.fill));
  const demoReasons = opts.demo ? ["--demo was given", ...verdict.reasons] : verdict.reasons;

  const result = await prisma.$transaction(
    async (tx) => {
      let provider = await tx.signalProvider.findFirst({ where: { source: "STATEMENT_IMPORT", name }, orderBy: { createdAt: "asc" } });
      const created = provider === null;
      let accountId = provider?.masterAccountId ?? null;
      if (accountId === null) {
        const leverage = /^1:(\d+)$/.exec(st.header.leverage)?.[1];
        const balance = summaryNumber(st.summary.Balance);
        const account = await tx.brokerAccount.create({
          data: {
            userId: ownerId,
            name,
            platform: "MT4",
            role: "MASTER",
            broker: st.header.broker || null,
            login: st.header.account || null,
            currency: st.header.currency || "USD",
            ...(leverage ? { leverage: Number(leverage) } : {}),
            ...(balance ? { balance: balance.toFixed(), equity: (summaryNumber(st.summary.Equity) ?? balance).toFixed() } : {}),
          },
        });
        accountId = account.id;
      }
      const isDemo = (provider?.isDemo ?? false) || demoReasons.length > 0;
      provider = provider
        ? await tx.signalProvider.update({ where: { id: provider.id }, data: { masterAccountId: accountId, isDemo } })
        : await tx.signalProvider.create({ data: { ownerId, masterAccountId: accountId, name, source: "STATEMENT_IMPORT", isDemo } });
      const providerId = provider.id;

      const stored = new Set((await tx.closedTrade.findMany({ where: { providerId }, select: { ticket: true } })).map((r) => r.ticket));
      const added = st.trades.filter((t) => !stored.has(t.ticket));
      for (let i = 0; i < added.length; i += BATCH) {
        await tx.closedTrade.createMany({ data: added.slice(i, i + BATCH).map((t) => closedTradeRow(t, providerId, accountId)), skipDuplicates: true });
      }

      const prefix = `stmt:${providerId}:`;
      const logged = new Set(
        (await tx.executionLog.findMany({ where: { accountId, clientOrderId: { startsWith: prefix } }, select: { clientOrderId: true } })).map((r) => r.clientOrderId),
      );
      const newExits = exits.filter((e) => !logged.has(prefix + e.trade.ticket));
      for (let i = 0; i < newExits.length; i += BATCH) {
        await tx.executionLog.createMany({ data: newExits.slice(i, i + BATCH).map((e) => executionRow(e, prefix, accountId)), skipDuplicates: true });
      }

      const { state, update } = await updateProviderScore(provider.scoreState as ScoreState | null, added, () =>
        tx.closedTrade.findMany({ where: { providerId }, select: SCORE_TRADE_SELECT }),
      );
      const columns = providerScoreColumns(state);
      await tx.signalProvider.update({ where: { id: providerId }, data: columns });
      const counts = { trades: added.length, fills: newExits.length, skipped: st.skipped };
      await audit.record({ action: "provider.import_statement", entityType: "signal_provider", entityId: providerId, after: { file: st.file, ...counts, update } }, tx);
      return { provider, created, accountId, added: added.length, fillsAdded: newExits.length, update, columns };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );

  const slipped = exits.filter((e) => e.fill.slippagePips !== 0).length;
  const statementNet = summaryNumber(st.summary["Total Net Profit"] ?? st.summary["Closed Trade P/L"]);
  const tradesNet = sum(st.trades);
  const aggregatesNet = sum(st.aggregates);
  return {
    file: st.file,
    format: st.format,
    timeZone: st.timeZone,
    provider: { id: result.provider.id, name, created: result.created, isDemo: result.provider.isDemo, demoReasons },
    accountId: result.accountId,
    trades: { read: st.trades.length, imported: result.added, alreadyPresent: st.trades.length - result.added },
    skipped: st.skipped,
    fills: {
      sl: exits.filter((e) => e.fill.kind === "SL_FILL").length,
      tp: exits.filter((e) => e.fill.kind === "TP_FILL").length,
      imported: result.fillsAdded,
      alreadyPresent: exits.length - result.fillsAdded,
      withoutLevel,
      nonZeroShare: exits.length > 0 ? slipped / exits.length : null,
      withMarketContext: exits.filter((e) => e.context !== null).length,
    },
    reconciliation: {
      statementNet: statementNet?.toFixed() ?? null,
      tradesNet: tradesNet.toFixed(),
      aggregatesNet: aggregatesNet.toFixed(),
      matches: statementNet === null ? null : statementNet.eq(tradesNet.plus(aggregatesNet)),
    },
    score: {
      update: result.update,
      score: result.columns.score,
      uncertainty: result.columns.scoreUncertainty,
      tradeCount: result.columns.tradeCount,
      asOf: result.columns.lastTradeAt?.toISOString() ?? null,
    },
  };
}

function closedTradeRow(t: StatementTrade, providerId: string, accountId: string): Prisma.ClosedTradeCreateManyInput {
  const symbol = canonicalSymbol(t.symbol);
  const move = t.type === "buy" ? t.closePrice.minus(t.openPrice) : t.openPrice.minus(t.closePrice);
  return {
    accountId,
    providerId,
    ticket: t.ticket,
    symbol,
    side: t.type === "buy" ? "BUY" : "SELL",
    volume: t.size.toFixed(),
    openTime: new Date(t.openTime),
    closeTime: new Date(t.closeTime),
    openPrice: t.openPrice.toFixed(),
    closePrice: t.closePrice.toFixed(),
    stopLoss: t.sl.gt(0) ? t.sl.toFixed() : null,
    takeProfit: t.tp.gt(0) ? t.tp.toFixed() : null,
    // The table has no taxes column; taxes are a per-trade charge like commission.
    commission: t.commission.plus(t.taxes).toFixed(),
    swap: t.swap.toFixed(),
    profit: t.profit.toFixed(),
    pips: move.div(conventionalPipSize(symbol)).toNumber(),
    closeReason: t.closeReason,
    origin: "STATEMENT",
  };
}

function executionRow(e: Exit, prefix: string, accountId: string): Prisma.ExecutionLogCreateManyInput {
  const at = new Date(e.trade.closeTime);
  const session = sessionAt(e.trade.closeTime);
  return {
    accountId,
    clientOrderId: prefix + e.trade.ticket,
    brokerOrderId: e.trade.ticket,
    symbol: canonicalSymbol(e.trade.symbol),
    side: e.fill.side,
    kind: e.fill.kind,
    volume: e.trade.size.toFixed(),
    requestedPrice: e.fill.level.toFixed(),
    filledPrice: e.fill.fill.toFixed(),
    slippagePips: e.fill.slippagePips,
    marketAtr: e.context?.atr ?? null,
    volatilityIndex: e.context?.volatilityIndex ?? null,
    spread: e.context?.spread === null || e.context?.spread === undefined ? null : new Decimal(e.context.spread).toFixed(),
    tradingSession: session.primary,
    dayOfWeek: session.dayOfWeek,
    status: "FILLED",
    origin: "STATEMENT",
    requestedAt: at,
    filledAt: at,
  };
}
