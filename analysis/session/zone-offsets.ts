const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
// Offsets are tabulated in blocks of 64 days: one table covers any instant in its block.
const BLOCK_DAYS = 64;
const BLOCK_MS = BLOCK_DAYS * DAY_MS;

/** Offset at the block's start and the instants inside the block where it changes. */
interface OffsetBlock {
  first: number;
  changesAt: number[];
  offsetsAfter: number[];
}

/**
 * UTC offsets of one IANA time zone, read from `Intl.DateTimeFormat` (the ICU tz database) once per 64-day
 * block and then answered by arithmetic. Daily samples find each DST change, bisection finds its minute.
 */
export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly blocks = new Map<number, OffsetBlock>();

  constructor(readonly zone: string) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Local time minus UTC, in minutes, at `utcMs` (e.g. +60 for London in summer, −300 for New York in winter). */
  offsetMinutes(utcMs: number): number {
    const index = Math.floor(utcMs / BLOCK_MS);
    let block = this.blocks.get(index);
    if (!block) {
      block = this.tabulate(index * BLOCK_MS);
      this.blocks.set(index, block);
    }
    let offset = block.first;
    for (let i = 0; i < block.changesAt.length && utcMs >= block.changesAt[i]!; i++) offset = block.offsetsAfter[i]!;
    return offset;
  }

  /**
   * The UTC instant of local wall time `minuteOfDay` on local calendar day `localDay` (days since 1970-01-01).
   * Business hours never fall in a DST gap or fold (changes happen at night), so the answer is unique there.
   */
  localToUtc(localDay: number, minuteOfDay: number): number {
    const wall = localDay * DAY_MS + minuteOfDay * MINUTE_MS;
    const guess = wall - this.offsetMinutes(wall) * MINUTE_MS;
    return wall - this.offsetMinutes(guess) * MINUTE_MS;
  }

  private tabulate(start: number): OffsetBlock {
    const block: OffsetBlock = { first: this.read(start), changesAt: [], offsetsAfter: [] };
    let before = start;
    let offset = block.first;
    for (let day = 1; day <= BLOCK_DAYS; day++) {
      const after = start + day * DAY_MS;
      const next = this.read(after);
      if (next !== offset) {
        let lo = before;
        let hi = after;
        while (hi - lo > MINUTE_MS) {
          const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
          if (this.read(mid) === offset) lo = mid;
          else hi = mid;
        }
        block.changesAt.push(hi);
        block.offsetsAfter.push(next);
        offset = next;
      }
      before = after;
    }
    return block;
  }

  private read(utcMs: number): number {
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const part of this.format.formatToParts(utcMs)) {
      const v = Number(part.value);
      if (part.type === "year") y = v;
      else if (part.type === "month") mo = v;
      else if (part.type === "day") d = v;
      else if (part.type === "hour") h = v;
      else if (part.type === "minute") mi = v;
      else if (part.type === "second") s = v;
    }
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / MINUTE_MS);
  }
}
