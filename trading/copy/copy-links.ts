import { CoreErrors, RiskloopError, invalid, notFound, ownedBy, type Actor } from "../../core/index.ts";
import type { AuditLog, BrokerAccount, CopyLink, CopyLinkStatus, Prisma, PrismaClient } from "../../prisma/index.ts";
import { isBrokerError } from "../broker/index.ts";
import type { BrokerSessions } from "../sessions/index.ts";
import type { CopyConfig } from "./copy.config.ts";
import { combineSettings } from "./rules/combine-settings.ts";
import { parseCopySettings, type CopySettings, type EffectiveSettings } from "./rules/copy-settings.ts";
import { linkCycle, type LinkEdge } from "./rules/link-cycle.ts";
import { providerSettingsOf, withProviderSettings } from "./rules/provider-settings.ts";
import { validateSettings, type SymbolLookup } from "./rules/validate-settings.ts";

export interface CreateLinkInput {
  masterAccountId: string;
  slaveAccountId: string;
  rules?: unknown;
  status?: "ACTIVE" | "PAUSED" | "CLOSE_ONLY";
}

/** What the engine does when links change (watch a new master, repair a resumed link). */
export interface LinkHooks {
  created(link: CopyLink): Promise<void>;
  statusChanged(link: CopyLink, from: CopyLinkStatus): Promise<void>;
}

/** The effective settings as JSON (decimals as strings). */
function effectiveView(s: EffectiveSettings) {
  return { ...s, lotScaling: { ...s.lotScaling, lot: s.lotScaling.lot?.toString() ?? null }, minLot: s.minLot?.toString() ?? null, maxLot: s.maxLot?.toString() ?? null };
}

/**
 * Copy links, managed by the slave's owner: create (a master that is the caller's own or a published signal
 * provider), change rules, pause / resume / close-only, delete; and the provider-level settings, managed by the
 * master's owner. Rules are validated against the provider's settings as `combineSettings` merges them, and
 * against the slave broker's symbols; a slave following itself is refused (400) and so is a loop of links (409).
 */
export class CopyLinks {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sessions: Pick<BrokerSessions, "peek">,
    private readonly audit: AuditLog,
    private readonly config: CopyConfig,
    private readonly hooks: LinkHooks,
  ) {}

  /** The API's view of a link, with its combined settings. */
  view(link: CopyLink, master: { syncSettings: unknown }) {
    return {
      id: link.id,
      masterAccountId: link.masterAccountId,
      slaveAccountId: link.slaveAccountId,
      providerId: link.providerId,
      rules: link.rules as Record<string, unknown>,
      effective: effectiveView(combineSettings(providerSettingsOf(master.syncSettings), parseCopySettings(link.rules), this.config.signalTtlSeconds)),
      status: link.status,
      statusReason: link.statusReason,
      createdAt: link.createdAt.toISOString(),
      updatedAt: link.updatedAt.toISOString(),
    };
  }

  async list(actor: Actor) {
    const rows = await this.prisma.copyLink.findMany({ where: { slaveAccount: ownedBy(actor) }, include: { masterAccount: { select: { syncSettings: true } } }, orderBy: { createdAt: "asc" } });
    return rows.map((r) => this.view(r, r.masterAccount));
  }

  async get(actor: Actor, id: string) {
    const link = await this.owned(actor, id);
    return this.view(link, link.masterAccount);
  }

  async create(actor: Actor, input: CreateLinkInput, ip?: string) {
    const slave = await this.prisma.brokerAccount.findFirst({ where: { id: input.slaveAccountId, ...ownedBy(actor) } });
    if (!slave) throw notFound("account", input.slaveAccountId);
    if (input.masterAccountId === input.slaveAccountId) throw invalid("slaveAccountId", "an account cannot follow itself", { reason: "COPY_SELF_FOLLOW" });
    const master = await this.prisma.brokerAccount.findFirst({
      // Yours, or a published provider's. An admin's ownership filter is empty, and Prisma's OR of an empty
      // filter matches nothing, so an admin (who sees every account) gets no OR at all.
      where: { id: input.masterAccountId, ...(actor.role === "ADMIN" ? {} : { OR: [ownedBy(actor), { provider: { isNot: null } }] }) },
      include: { provider: { select: { id: true } } },
    });
    if (!master) throw notFound("master account", input.masterAccountId);
    const rules = parseCopySettings(input.rules);
    await validateSettings(providerSettingsOf(master.syncSettings), rules, await this.#symbols(slave), this.config.signalTtlSeconds);
    const cycle = await this.#cycle({ master: master.id, slave: slave.id });
    if (cycle) throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `this link would close a copy loop: ${cycle.join(" → ")}`, { reason: "COPY_LINK_CYCLE", cycle });
    let link: CopyLink;
    try {
      link = await this.prisma.copyLink.create({
        data: { masterAccountId: master.id, slaveAccountId: slave.id, providerId: master.provider?.id ?? null, rules: rules as Prisma.InputJsonValue, status: input.status ?? "ACTIVE" },
      });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, "this slave already follows this master", { reason: "COPY_LINK_EXISTS" });
      throw err;
    }
    await this.audit.record({ actorUserId: actor.id, action: "copy_link.create", entityType: "copy_link", entityId: link.id, after: this.view(link, master), ip });
    await this.hooks.created(link);
    return this.view(link, master);
  }

  async updateRules(actor: Actor, id: string, raw: unknown, ip?: string) {
    const link = await this.owned(actor, id);
    const rules = parseCopySettings(raw);
    await validateSettings(providerSettingsOf(link.masterAccount.syncSettings), rules, await this.#symbols(link.slaveAccount), this.config.signalTtlSeconds);
    const updated = await this.prisma.copyLink.update({ where: { id }, data: { rules: rules as Prisma.InputJsonValue } });
    await this.audit.record({ actorUserId: actor.id, action: "copy_link.rules", entityType: "copy_link", entityId: id, before: { rules: link.rules }, after: { rules }, ip });
    return this.view(updated, link.masterAccount);
  }

  /** Pause (nothing follows), resume (ACTIVE again: repaired at once) or wind down (CLOSE_ONLY: only exits follow). */
  async setStatus(actor: Actor, id: string, status: "ACTIVE" | "PAUSED" | "CLOSE_ONLY", ip?: string) {
    const link = await this.owned(actor, id);
    const updated = await this.prisma.copyLink.update({ where: { id }, data: { status, statusReason: null } });
    await this.audit.record({ actorUserId: actor.id, action: "copy_link.status", entityType: "copy_link", entityId: id, before: { status: link.status }, after: { status }, ip });
    if (link.status !== status) await this.hooks.statusChanged(updated, link.status);
    return this.view(updated, link.masterAccount);
  }

  async remove(actor: Actor, id: string, ip?: string): Promise<void> {
    const link = await this.owned(actor, id);
    await this.prisma.copyLink.delete({ where: { id } });
    await this.audit.record({ actorUserId: actor.id, action: "copy_link.delete", entityType: "copy_link", entityId: id, before: this.view(link, link.masterAccount), ip });
  }

  /** The provider-level settings of a master the caller owns. */
  async providerSettings(actor: Actor, masterAccountId: string): Promise<CopySettings> {
    return providerSettingsOf((await this.#ownedMaster(actor, masterAccountId)).syncSettings);
  }

  /** Replaces a master's provider-level settings; refused (409) when they contradict an existing subscription's rules. */
  async setProviderSettings(actor: Actor, masterAccountId: string, raw: unknown, ip?: string): Promise<CopySettings> {
    const master = await this.#ownedMaster(actor, masterAccountId);
    const settings = parseCopySettings(raw, "settings");
    await validateSettings(settings, {}, async () => true, this.config.signalTtlSeconds, "settings");
    const links = await this.prisma.copyLink.findMany({ where: { masterAccountId }, include: { slaveAccount: true } });
    for (const l of links) {
      try {
        await validateSettings(settings, parseCopySettings(l.rules), await this.#symbols(l.slaveAccount), this.config.signalTtlSeconds);
      } catch (err) {
        if (!(err instanceof RiskloopError)) throw err;
        throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, `these settings contradict the rules of copy link ${l.id}: ${err.message}`, { ...err.details, linkId: l.id });
      }
    }
    await this.prisma.brokerAccount.update({ where: { id: masterAccountId }, data: { syncSettings: withProviderSettings(master.syncSettings, settings) } });
    await this.audit.record({ actorUserId: actor.id, action: "copy_provider.settings", entityType: "broker_account", entityId: masterAccountId, before: providerSettingsOf(master.syncSettings), after: settings, ip });
    return settings;
  }

  /** The caller's link (as the slave's owner) with both accounts; another user's link is a 404. */
  async owned(actor: Actor, id: string) {
    const link = await this.prisma.copyLink.findFirst({ where: { id, slaveAccount: ownedBy(actor) }, include: { slaveAccount: true, masterAccount: { select: { syncSettings: true } } } });
    if (!link) throw notFound("copy link", id);
    return link;
  }

  async #ownedMaster(actor: Actor, id: string) {
    const master = await this.prisma.brokerAccount.findFirst({ where: { id, ...ownedBy(actor) } });
    if (!master) throw notFound("account", id);
    return master;
  }

  /** The links reachable downstream of the new slave, enough to find a loop through the new link. */
  async #cycle(added: LinkEdge): Promise<string[] | null> {
    const edges: LinkEdge[] = [];
    const seen = new Set<string>([added.slave]);
    for (let frontier = [added.slave]; frontier.length > 0; ) {
      const next = await this.prisma.copyLink.findMany({ where: { masterAccountId: { in: frontier } }, select: { masterAccountId: true, slaveAccountId: true } });
      frontier = [];
      for (const l of next) {
        edges.push({ master: l.masterAccountId, slave: l.slaveAccountId });
        if (!seen.has(l.slaveAccountId)) {
          seen.add(l.slaveAccountId);
          frontier.push(l.slaveAccountId);
        }
      }
    }
    return linkCycle(edges, added);
  }

  /** Whether the slave's broker offers a symbol: its live session when connected, else its paper symbols or the Instrument table. */
  async #symbols(slave: BrokerAccount): Promise<SymbolLookup> {
    const session = this.sessions.peek(slave.id);
    const paper = slave.platform === "PAPER" ? ((slave.paperSettings as { symbols?: unknown } | null)?.symbols as string[] | undefined) : undefined;
    const instruments = paper ? undefined : new Set((await this.prisma.instrument.findMany({ select: { symbol: true } })).map((r) => r.symbol));
    return async (symbol) => {
      if (session?.port.connectionState === "connected") {
        try {
          await session.spec(symbol);
          return true;
        } catch (err) {
          if (isBrokerError(err) && err.code === "TRD_ERR_UNKNOWN_SYMBOL") return false;
        }
      }
      return paper ? paper.includes(symbol) : instruments!.has(symbol);
    };
  }
}
