import type { Clock, Logger } from "../../core/index.ts";
import type { PrismaClient } from "../../prisma/index.ts";
import type { PaperVenue } from "../paper/index.ts";

/** How often a process reports the instant of the markets it plays. */
const REPORT_EVERY_MS = 15_000;
/** A market last reported longer ago than this has no process playing it (they all stopped): it is not joined. */
const LIVE_FOR_MS = 45_000;

const stretchOf = (v: PaperVenue, speed: number) => `${v.settings.from}:${v.settings.to}:${speed}`;

/**
 * One market clock for paper accounts replaying the same recorded stretch at the same speed, in this process
 * and across processes (the API and BullMQ workers): a venue that connects catches up with the furthest venue
 * of its stretch, here or (through `paper_markets`) in another live process, and venues here that are behind
 * are brought up to it. Otherwise each venue replays from where it was connected or saved, and a copy's master
 * and slave quote different instants: a slave connected a minute before its master finds every copy a minute
 * old. The replay in between is played out, stop losses and all. A stretch nobody played for a while (every
 * process stopped) is not joined: venues then resume where they were saved.
 */
export class PaperMarkets {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly speed: number,
    /** The paper venues open in this process. */
    private readonly venues: () => PaperVenue[],
    private readonly logger: Logger,
  ) {}

  /** Brings `venue` (not playing yet) and the playing venues of its stretch to the market's instant. */
  async join(venue: PaperVenue): Promise<void> {
    const stretch = stretchOf(venue, this.speed);
    const peers = this.venues().filter((v) => v !== venue && !v.ended && stretchOf(v, this.speed) === stretch);
    const elsewhere = await this.#reported(stretch);
    const market = Math.min(venue.settings.to, Math.max(venue.now, elsewhere, ...peers.map((v) => v.now)));
    if (venue.now < market) await venue.advanceTo(market);
    for (const v of peers) {
      if (v.now >= market) continue;
      const playing = v.playing;
      v.pause();
      await v.advanceTo(market);
      if (playing) v.play({ speed: this.speed });
    }
    await this.#report(stretch, venue.now);
    this.#timer ??= setInterval(() => void this.reportAll(), REPORT_EVERY_MS).unref();
  }

  /** Reports the instant of every stretch played here. */
  async reportAll(): Promise<void> {
    const furthest = new Map<string, number>();
    for (const v of this.venues()) {
      if (!v.playing) continue;
      const stretch = stretchOf(v, this.speed);
      furthest.set(stretch, Math.max(furthest.get(stretch) ?? -Infinity, v.now));
    }
    for (const [stretch, at] of furthest) await this.#report(stretch, at);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The stretch's instant now, as a live process last reported it (moved on by the time since); else -Infinity. */
  async #reported(stretch: string): Promise<number> {
    const row = await this.prisma.paperMarket.findUnique({ where: { stretch } });
    const since = row ? this.clock.now() - row.seenAt.getTime() : Infinity;
    return row && since <= LIVE_FOR_MS ? Number(row.venueTime) + since * this.speed : -Infinity;
  }

  async #report(stretch: string, at: number): Promise<void> {
    const row = { venueTime: BigInt(Math.floor(at)), seenAt: new Date(this.clock.now()) };
    await this.prisma.paperMarket
      .upsert({ where: { stretch }, create: { stretch, ...row }, update: row })
      .catch((err: unknown) => this.logger.warn({ err, stretch }, "paper market instant not reported"));
  }
}
