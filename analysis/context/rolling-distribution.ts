/**
 * The values of a trailing time window: in arrival order (to expire the oldest) and as sorted distinct values
 * with counts (for ranks and the median). Quotes repeat a few hundred distinct spreads, so adding or expiring
 * one costs a binary search and a count change; only a value not yet in the window shifts the distinct list.
 * The median is worked out on the first read after a change, by one walk over the distinct values.
 */
export class RollingDistribution {
  private times: Float64Array;
  private values: Float64Array;
  private head = 0;
  private n = 0;
  private keys: Float64Array;
  private counts: Int32Array;
  private distinct = 0;
  private cachedMedian = Number.NaN;
  private medianStale = false;

  constructor(initialCapacity = 256) {
    const capacity = Math.max(16, initialCapacity);
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
    this.counts = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Adds a value observed at `time`; times must not decrease. NaN is ignored (it has no rank). */
  push(time: number, value: number): void {
    if (value !== value) return;
    if (this.n === this.times.length) this.growWindow();
    const slot = (this.head + this.n) % this.times.length;
    this.times[slot] = time;
    this.values[slot] = value;
    this.n++;
    const k = this.lowerBound(value);
    if (k < this.distinct && this.keys[k] === value) {
      this.counts[k]!++;
    } else {
      if (this.distinct === this.keys.length) this.growKeys();
      this.keys.copyWithin(k + 1, k, this.distinct);
      this.counts.copyWithin(k + 1, k, this.distinct);
      this.keys[k] = value;
      this.counts[k] = 1;
      this.distinct++;
    }
    this.medianStale = true;
  }

  /** Drops every value observed at or before `cutoff`. */
  expireThrough(cutoff: number): void {
    const cap = this.times.length;
    while (this.n > 0 && this.times[this.head]! <= cutoff) {
      const k = this.lowerBound(this.values[this.head]!);
      if (--this.counts[k]! === 0) {
        this.keys.copyWithin(k, k + 1, this.distinct);
        this.counts.copyWithin(k, k + 1, this.distinct);
        this.distinct--;
      }
      this.head = (this.head + 1) % cap;
      this.n--;
      this.medianStale = true;
    }
  }

  /** How many values are at most `x` (one walk over the distinct values up to `x`). */
  countAtMost(x: number): number {
    let c = 0;
    for (let k = 0; k < this.distinct && this.keys[k]! <= x; k++) c += this.counts[k]!;
    return c;
  }

  /** The median (mean of the two middle values for an even count); NaN when empty. */
  median(): number {
    if (this.medianStale) {
      this.cachedMedian = this.computeMedian();
      this.medianStale = false;
    }
    return this.n === 0 ? Number.NaN : this.cachedMedian;
  }

  private computeMedian(): number {
    if (this.n === 0) return Number.NaN;
    const lowRank = (this.n - 1) >> 1;
    const highRank = this.n >> 1;
    let seen = 0;
    let low = Number.NaN;
    for (let k = 0; k < this.distinct; k++) {
      seen += this.counts[k]!;
      if (low !== low && seen > lowRank) low = this.keys[k]!;
      if (seen > highRank) return low === this.keys[k]! ? low : (low + this.keys[k]!) / 2;
    }
    return low;
  }

  /** First distinct index whose value is at least `x`. */
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.distinct;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private growWindow(): void {
    const cap = this.times.length;
    const times = new Float64Array(cap * 2);
    const values = new Float64Array(cap * 2);
    for (let k = 0; k < this.n; k++) {
      const slot = (this.head + k) % cap;
      times[k] = this.times[slot]!;
      values[k] = this.values[slot]!;
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }

  private growKeys(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const counts = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    counts.set(this.counts);
    this.keys = keys;
    this.counts = counts;
  }
}
