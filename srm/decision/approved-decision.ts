import type { Decimal, TradeIntent } from "../../core/index.ts";

/** Only this module holds the key; a value of `ApprovedDecision` cannot be written outside `srm/`. */
declare const approvedBrand: unique symbol;

/**
 * An SRM decision to execute, the only input the execution service accepts. Its type cannot be constructed
 * outside `srm/` (the brand's symbol is not exported), and `isApproved` checks at run time that the object
 * was issued by SRM in this process — a cast or a copy does not pass.
 */
export interface ApprovedDecision {
  readonly [approvedBrand]: true;
  readonly decisionId: string;
  readonly intent: TradeIntent;
  readonly userId: string;
  readonly lot: Decimal;
  readonly stopLoss: Decimal | undefined;
  readonly takeProfit: Decimal | undefined;
  readonly predictedSlippageP50: number | null;
  readonly predictedSlippageP90: number | null;
  readonly providerScore: number | null;
  readonly decidedAt: number;
  /**
   * Set when the approval was issued before its decision was stored (the copy hot path: the key's claim is
   * committed, the decision follows once the event loop turns, after the orders of the same fan-out). Execution
   * sends at once and writes its own records after `stored` resolves.
   */
  readonly stored?: Promise<void>;
  /**
   * The decision was made before this attempt (replayed, or taken over from an attempt that claimed its key and
   * stopped): its order may exist without an execution log, so execution looks it up before sending.
   */
  readonly mayHaveBeenSent?: boolean;
}

type Fields = Omit<ApprovedDecision, typeof approvedBrand>;

/**
 * The one class whose instances pass `isApproved`: the check is its private field's brand, which neither a copy
 * nor a deserialised object has. (A spread into a frozen literal plus a WeakSet of issued objects cost several
 * times as much, paid on every copy of a fan-out.)
 */
class Approval {
  readonly #issued = true;

  constructor(fields: Fields) {
    Object.assign(this, fields);
    Object.freeze(this);
  }

  static issued(value: object): boolean {
    return #issued in value && value.#issued;
  }
}

/** Issues the approval; called by the SRM service once the decision (or, on the hot path, its key's claim) is persisted. */
export function approve(fields: Fields): ApprovedDecision {
  return new Approval(fields) as unknown as ApprovedDecision;
}

/** True only for approvals SRM issued (not copies, casts or deserialised objects). */
export function isApproved(value: unknown): value is ApprovedDecision {
  return typeof value === "object" && value !== null && Approval.issued(value);
}
