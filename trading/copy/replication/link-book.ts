import { rawSqlOf, type CopyLinkStatus, type PrismaClient, type RawSql, type RiskState } from "../../../prisma/index.ts";
import type { CopySettings } from "../rules/copy-settings.ts";
import { PROVIDER_SETTINGS_KEY, providerSettingsOf } from "../rules/provider-settings.ts";
import type { LinkSnapshot } from "./link-snapshot.ts";

const money = (column: string) => `coalesce(trim_scale(${column})::text, '')`;

/**
 * A master's links as one line each (`|`-separated: ids, enums, numbers and an md5 never contain it) and its
 * provider settings as text: what changes from trade to trade (status, money, risk state) in full, the rules
 * only as their digest. Building JSON for a thousand links costs the database several times as much.
 */
const COMPACT_SQL = `SELECT
    (SELECT concat_ws('|', ${money("m.balance")}, ${money("m.equity")}, coalesce((m.sync_settings -> '${PROVIDER_SETTINGS_KEY}')::text, ''))
       FROM broker_accounts m WHERE m.id = $1::uuid) AS master,
    (SELECT string_agg(concat_ws('|', l.id, l.slave_account_id, l.status, coalesce(l.provider_id::text, ''), md5(l.rules::text), s.user_id,
        ${money("s.balance")}, ${money("s.equity")}, ${money("s.free_margin")}, s.risk_state, ${money("s.day_start_balance")}, ${money("s.equity_high_water_mark")}, coalesce(s.hedging::text, '')), E'\\n')
       FROM copy_links l JOIN broker_accounts s ON s.id = l.slave_account_id
      WHERE l.master_account_id = $1::uuid AND l.status <> 'PAUSED') AS links,
    coalesce((SELECT v.version FROM copy_link_versions v WHERE v.master_account_id = $1::uuid), 0)::text AS version`;

/** A master's links other than paused ones as of one version of them, with each link by id. */
export interface LinkRead {
  version: string;
  links: readonly LinkSnapshot[];
  byId: ReadonlyMap<string, LinkSnapshot>;
}

const NONE: LinkRead = { version: "0", links: [], byId: new Map() };

interface Rules {
  digest: string;
  rules: unknown;
}

const orNull = (v: string) => (v === "" ? null : v);

/**
 * The links of masters as the fan-out reads them on every master trade, kept in memory by the version of the
 * master's links (`copy_link_versions`, bumped by database triggers on every change the snapshots show but
 * money): given the version the signal's own statement read, an unchanged master costs no read at all. A
 * changed one is read again as the compact lines above, and only the rules whose digest changed are fetched.
 * The snapshots equal `linkSnapshots` of the same master at that version, except for money, which is as of
 * their read: a copy takes the slave's money from its live session, and the master's comes with the signal.
 */
export class LinkBook {
  readonly #sql: RawSql;
  /** Rules by master and link id, with their digest; each read keeps only the links it saw. */
  readonly #rules = new Map<string, Map<string, Rules>>();
  /** Provider settings by master, with the text they were parsed from. */
  readonly #providers = new Map<string, { text: string; settings: CopySettings }>();
  /** The latest read of each master. */
  readonly #read = new Map<string, LinkRead>();
  /** The read under way for each master, if any. */
  readonly #reading = new Map<string, Promise<LinkRead>>();

  constructor(prisma: PrismaClient) {
    this.#sql = rawSqlOf(prisma);
  }

  /**
   * The master's links other than paused ones, with the master's money and every slave's account. Given the
   * `version` a caller read from `copy_link_versions`, the links kept (or being read) at that version or a later
   * one; else, and always without a version, read now. Concurrent callers share a read. The snapshots returned
   * are shared between calls: callers must not change them.
   */
  async of(masterAccountId: string, version?: string): Promise<LinkRead> {
    if (version !== undefined) {
      const kept = this.#read.get(masterAccountId);
      if (kept && BigInt(kept.version) >= BigInt(version)) return kept;
      const reading = this.#reading.get(masterAccountId);
      if (reading) {
        const read = await reading;
        if (BigInt(read.version) >= BigInt(version)) return read;
      }
    }
    const read = this.#readNow(masterAccountId);
    this.#reading.set(masterAccountId, read);
    try {
      return await read;
    } finally {
      if (this.#reading.get(masterAccountId) === read) this.#reading.delete(masterAccountId);
    }
  }

  async #readNow(masterAccountId: string): Promise<LinkRead> {
    const [row] = await this.#sql.$queryRawUnsafe<[{ master: string | null; links: string | null; version: string }]>(COMPACT_SQL, masterAccountId);
    if (!row?.master) {
      this.#read.delete(masterAccountId);
      this.#rules.delete(masterAccountId);
      return NONE;
    }
    const links = await this.#parse(masterAccountId, { master: row.master, links: row.links });
    const read: LinkRead = { version: row.version, links, byId: new Map(links.map((l) => [l.id, l])) };
    // Reads may answer out of order: the book keeps the latest version.
    const kept = this.#read.get(masterAccountId);
    if (!kept || BigInt(kept.version) <= BigInt(read.version)) this.#read.set(masterAccountId, read);
    return read;
  }

  async #parse(masterAccountId: string, row: { master: string; links: string | null }): Promise<LinkSnapshot[]> {
    if (!row.links) {
      this.#rules.delete(masterAccountId);
      return [];
    }
    const [mBalance, mEquity, ...settingsParts] = row.master.split("|");
    const providerSettings = this.#provider(masterAccountId, settingsParts.join("|"));
    const lines = row.links.split("\n").map((line) => line.split("|"));
    const kept = this.#rules.get(masterAccountId) ?? new Map<string, Rules>();
    const stale = lines.filter(([id, , , , digest]) => kept.get(id!)?.digest !== digest).map(([id]) => id!);
    if (stale.length > 0) await this.#load(stale, kept);
    const next = new Map<string, Rules>();
    const master = { balance: mBalance!, equity: mEquity! };
    const out: LinkSnapshot[] = [];
    for (const [id, slaveAccountId, status, providerId, digest, userId, balance, equity, freeMargin, riskState, dayStart, hwm, hedging] of lines) {
      const rules = kept.get(id!);
      // Deleted between the two reads: not a link any more.
      if (!rules) continue;
      // Changed again between the two reads: its newer rules now, and read in full next time.
      if (rules.digest === digest) next.set(id!, rules);
      out.push({
        id: id!,
        masterAccountId,
        slaveAccountId: slaveAccountId!,
        providerId: orNull(providerId!),
        status: status as CopyLinkStatus,
        rules: rules.rules,
        providerSettings,
        master,
        slave: { id: slaveAccountId!, userId: userId!, balance: balance!, equity: equity!, freeMargin: freeMargin!, riskState: riskState as RiskState, dayStartBalance: orNull(dayStart!), equityHighWaterMark: orNull(hwm!), hedging: hedging === "" ? null : hedging === "true" },
      });
    }
    this.#rules.set(masterAccountId, next);
    return out;
  }

  #provider(masterAccountId: string, text: string): CopySettings {
    const kept = this.#providers.get(masterAccountId);
    if (kept?.text === text) return kept.settings;
    const settings = providerSettingsOf(text === "" ? undefined : { [PROVIDER_SETTINGS_KEY]: JSON.parse(text) });
    this.#providers.set(masterAccountId, { text, settings });
    return settings;
  }

  async #load(ids: string[], into: Map<string, Rules>): Promise<void> {
    const rows = await this.#sql.$queryRawUnsafe<{ id: string; digest: string; rules: string }[]>(
      `SELECT id::text AS id, md5(rules::text) AS digest, rules::text AS rules FROM copy_links WHERE id = ANY($1::uuid[])`,
      ids,
    );
    for (const r of rows) into.set(r.id, { digest: r.digest, rules: JSON.parse(r.rules) });
  }
}
