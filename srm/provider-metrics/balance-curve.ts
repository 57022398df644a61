/**
 * A balance path and its deepest fall below a running peak. Trade results move the balance; cash flows move the
 * balance and the peak together, so a deposit is not a gain and a withdrawal is not a drawdown. On the real MT4
 * statements this reproduces the money of MT4's "Maximal Drawdown" exactly, and its "Relative Drawdown" where no
 * cash flow falls inside the trading period.
 */
export class BalanceCurve {
  #balance: number;
  #peak: number;
  #maxMoney = 0;
  #maxFraction = 0;

  constructor(start: number) {
    this.#balance = start;
    this.#peak = start;
  }

  get balance(): number {
    return this.#balance;
  }

  get peak(): number {
    return this.#peak;
  }

  /** The largest fall below the peak, in account currency. */
  get maxDrawdownMoney(): number {
    return this.#maxMoney;
  }

  /** The largest fall below the peak as a fraction of that peak (above 1 once the balance went negative). */
  get maxDrawdownFraction(): number {
    return this.#maxFraction;
  }

  /** Applies a trade's net result. */
  pnl(amount: number): void {
    this.#balance += amount;
    if (this.#balance > this.#peak) this.#peak = this.#balance;
    const fall = this.#peak - this.#balance;
    if (fall <= 0) return;
    if (fall > this.#maxMoney) this.#maxMoney = fall;
    const fraction = this.#peak > 0 ? fall / this.#peak : 1;
    if (fraction > this.#maxFraction) this.#maxFraction = fraction;
  }

  /** Applies a deposit (positive) or withdrawal (negative). */
  cashflow(amount: number): void {
    this.#balance += amount;
    this.#peak = Math.max(this.#peak + amount, this.#balance);
  }
}
