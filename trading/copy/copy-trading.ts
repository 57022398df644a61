import type { Actor } from "../../core/index.ts";
import type { AuditLog, CopyEventStatus } from "../../prisma/index.ts";
import { CopyEngine, type CopyEngineOptions } from "./copy-engine.ts";
import { CopyLinks } from "./copy-links.ts";
import { CopyStats } from "./telemetry/copy-stats.ts";

export interface CopyTradingOptions extends CopyEngineOptions {
  audit: AuditLog;
}

/**
 * Copy trading as the rest of the service sees it: the engine (detection, fan-out, replication, repair), the
 * owner-scoped link management and the copy log with its statistics.
 */
export class CopyTrading {
  readonly engine: CopyEngine;
  readonly links: CopyLinks;
  readonly stats: CopyStats;

  constructor(o: CopyTradingOptions) {
    this.engine = new CopyEngine(o);
    const warn = (what: string) => (err: unknown) => o.logger.warn({ err }, what);
    // Watching a master connects its broker session: never make an API request wait for that.
    const watch = (masterAccountId: string) => void this.engine.watch(masterAccountId).catch(warn("the link's master could not be watched"));
    this.links = new CopyLinks(o.prisma, o.trading.sessions, o.audit, o.config, {
      created: async (link) => {
        if (link.status !== "PAUSED") watch(link.masterAccountId);
      },
      statusChanged: async (link, from) => {
        if (from !== "PAUSED") return;
        watch(link.masterAccountId);
        await this.engine.repair("link-resumed", { id: link.id }).catch(warn("the resumed link could not be repaired"));
      },
    });
    this.stats = new CopyStats(o.prisma);
  }

  /** Statistics of one of the caller's links. */
  async linkStats(actor: Actor, id: string) {
    await this.links.owned(actor, id);
    return this.stats.of([id]);
  }

  /** Statistics over all of the caller's links. */
  async allStats(actor: Actor) {
    return this.stats.of((await this.links.list(actor)).map((l) => l.id));
  }

  /** One of the caller's links' copy log, newest first. */
  async log(actor: Actor, id: string, q: { limit: number; cursor?: string; status?: CopyEventStatus }) {
    await this.links.owned(actor, id);
    return this.stats.log(id, q);
  }
}
