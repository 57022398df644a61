import { CoreErrors, RiskloopError, newTimeOrderedId, type SymbolSpec, type Tick } from "../../../core/index.ts";
import type { Database, Prisma } from "../../../prisma/index.ts";
import { rejection } from "../../broker/index.ts";
import type { PaperOrderResult, PaperSubmitOrderRequest } from "../../paper/index.ts";
import { PaperVenue } from "../../paper/index.ts";
import { ArrayMarketDataReader } from "../../paper/testing/array-market-data-reader.ts";

/**
 * What a worker's submit does: reach the venue; reach it and never hear back (the worker died); die before; or
 * be refused by the broker without reaching the venue, for good (`reject`) or for now (`busy`).
 */
export type SubmitMode = "send" | "send-then-hang" | "hang" | "reject" | "busy";

/**
 * Test and benchmark kit: paper venues kept outside any one worker, as a real broker is. A venue outlives the
 * containers (workers) that trade on it, so a killed worker's orders stay filled at the "broker" and a restarted
 * worker must find them. Every order that executed (a duplicate client order id does not) is counted per account.
 */
export class PaperBroker {
  readonly venues = new Map<string, PaperVenue>();
  /** Orders that executed at the venue (duplicates by client order id not counted), per account. */
  readonly fills = new Map<string, number>();
  /** Accounts whose venue nets (an MT5 netting account: one position per symbol); add before the venue is first asked for. */
  readonly netting = new Set<string>();
  readonly #reader: ArrayMarketDataReader;

  constructor(
    ticks: Record<string, Tick[]>,
    readonly instruments: readonly SymbolSpec[],
    readonly range: { from: number; to: number },
  ) {
    this.#reader = new ArrayMarketDataReader({ ticks });
  }

  /** The account's venue, created (connected, on its first quote) the first time it is asked for. */
  async venue(accountId: string, initialBalance: string): Promise<PaperVenue> {
    let v = this.venues.get(accountId);
    if (v) return v;
    v = new PaperVenue({ accountId, reader: this.#reader, instruments: this.instruments, symbols: this.instruments.map((s) => s.symbol), from: this.range.from, to: this.range.to, initialBalance, latency: { kind: "fixed", ms: 100 }, hedging: !this.netting.has(accountId) });
    this.venues.set(accountId, v);
    await v.connect();
    await v.step();
    this.#spy(v);
    return v;
  }

  #spy(v: PaperVenue): void {
    const submit = v.submitOrder.bind(v);
    v.submitOrder = async (request) => {
      const result = await submit(request);
      if (result.status !== "rejected" && !result.duplicate) this.fills.set(v.accountId, (this.fills.get(v.accountId) ?? 0) + 1);
      return result;
    };
  }

  /**
   * One worker's handle on a venue: the venue itself (an `instanceof PaperVenue`, reading and trading the same
   * account) whose submits pass through `gate`, so one worker can be made to die mid-order while another, on
   * the same venue, is unaffected. A hung submit stays hung, or fails as transient once `died` aborts (a
   * runtime that waits for its handlers then sees them return, as it would see a lost connection).
   */
  view(v: PaperVenue, gate: (accountId: string, request: PaperSubmitOrderRequest) => SubmitMode, died?: AbortSignal): PaperVenue {
    const hang = () =>
      new Promise<PaperOrderResult>((_, reject) =>
        died?.addEventListener("abort", () => reject(new RiskloopError(CoreErrors.CORE_ERR_UNAVAILABLE, "the worker died with this order in flight")), { once: true }),
      );
    const view = Object.create(v) as PaperVenue;
    for (const key of Object.getOwnPropertyNames(PaperVenue.prototype)) {
      const d = Object.getOwnPropertyDescriptor(PaperVenue.prototype, key)!;
      if (key === "constructor") continue;
      if (typeof d.value === "function") Object.defineProperty(view, key, { value: (...args: unknown[]) => (d.value as (...a: unknown[]) => unknown).apply(v, args), writable: true });
      else if (d.get) Object.defineProperty(view, key, { get: () => d.get!.call(v) });
    }
    view.submitOrder = async (request) => {
      const mode = gate(v.accountId, request);
      if (mode === "hang") return hang();
      if (mode === "reject" || mode === "busy") {
        const [code, message] = mode === "reject" ? (["TRD_ERR_NO_MONEY", "not enough money"] as const) : (["TRD_ERR_BROKER_BUSY", "trade context busy"] as const);
        return { ...rejection(code, message, { requestedAt: v.now, respondedAt: v.now }), clientOrderId: request.clientOrderId };
      }
      const result = await v.submitOrder(request);
      return mode === "send-then-hang" ? hang() : result;
    };
    return view;
  }

  /** Replays every venue to `t` (venue time), so masters and slaves quote the same instant. */
  async advanceAll(t: number): Promise<void> {
    for (const v of this.venues.values()) if (v.now < t) await v.advanceTo(t);
  }
}

export interface SeededCopyAccounts {
  userId: string;
  masterId: string;
  slaveIds: string[];
  linkIds: string[];
}

/** A master with `slaves` PAPER followers (ACTIVE links, `rules` each) trading on `broker`, written directly to the database. */
export async function seedCopyAccounts(db: Database, broker: PaperBroker, opts: { slaves: number; masterBalance?: string; slaveBalance?: string; rules?: Prisma.InputJsonValue }): Promise<SeededCopyAccounts> {
  const prisma = db.prisma;
  const user = await prisma.user.create({ data: { email: `copy-${newTimeOrderedId()}@example.com`, passwordHash: "x", plan: "ENTERPRISE" } });
  const paperSettings = { symbols: broker.instruments.map((s) => s.symbol), from: broker.range.from, to: broker.range.to };
  const account = (id: string, name: string, balance: string) => ({ id, userId: user.id, name, platform: "PAPER" as const, balance, equity: balance, freeMargin: balance, dayStartBalance: balance, equityHighWaterMark: balance, paperSettings });
  const masterId = newTimeOrderedId();
  const slaveIds = Array.from({ length: opts.slaves }, () => newTimeOrderedId());
  await prisma.brokerAccount.createMany({ data: [account(masterId, "master", opts.masterBalance ?? "100000"), ...slaveIds.map((id, i) => account(id, `slave ${i}`, opts.slaveBalance ?? "10000"))] });
  const linkIds = slaveIds.map(() => newTimeOrderedId());
  await prisma.copyLink.createMany({ data: slaveIds.map((slave, i) => ({ id: linkIds[i]!, masterAccountId: masterId, slaveAccountId: slave, rules: opts.rules ?? {} })) });
  return { userId: user.id, masterId, slaveIds, linkIds };
}

/** Evenly spaced EURUSD quotes around 1.1000 with a 1-pip spread and a slow seeded drift. */
export function syntheticTicks(from: number, minutes: number, stepMs = 250, seed = 7): Tick[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  let mid = 1.1;
  return Array.from({ length: Math.floor((minutes * 60_000) / stepMs) }, (_, i) => {
    mid += rnd() * 0.00004;
    const bid = Math.round((mid - 0.00005) * 1e5) / 1e5;
    return { time: from + i * stepMs, bid, ask: Math.round((bid + 0.0001) * 1e5) / 1e5 };
  });
}
