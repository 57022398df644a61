import { Decimal, invalid } from "../../core/index.ts";
import type { LedgerState } from "./paper-ledger.ts";
import type { InflightRequest } from "./paper-matcher.ts";
import type { PaperSettings } from "./paper-settings.ts";
import type { PaperOrderAccepted, QuotePoint } from "./paper-types.ts";
import type { FeedCursor } from "./quote-feed.ts";

/** Everything a paper account needs to resume exactly where it stopped (with live decimals, before encoding). */
export interface PaperVenueState {
  format: 1;
  settings: PaperSettings;
  /** Venue time. */
  now: number;
  /** Per-symbol replay position; null before the replay was first opened. */
  cursors: Record<string, FeedCursor> | null;
  ended: boolean;
  latencyState: number;
  ledger: LedgerState;
  /** Market requests sent but not yet filled: they still execute after a restore, as a real venue would. */
  inflight: InflightRequest[];
  quotes: QuotePoint[];
  /** Accepted results by client order id: a retry after a restart still gets `duplicate: true`. */
  results: Record<string, PaperOrderAccepted>;
  nextRollover: number;
}

/** A snapshot as plain JSON (decimals written as `{ "$dec": "1.2345" }`), fit for `BrokerAccount.paperSettings`. */
export interface PaperVenueJson {
  format: 1;
  settings: PaperSettings;
  [key: string]: unknown;
}

/** Turns a state into JSON-safe data without losing a digit of any decimal. */
export function encodeState(state: PaperVenueState): PaperVenueJson {
  return encode(state) as PaperVenueJson;
}

/** Reads a snapshot written by `encodeState` (possibly after a JSON round trip through the database). */
export function decodeState(json: unknown): PaperVenueState {
  if (typeof json !== "object" || json === null) throw invalid("state", "a paper venue snapshot must be an object");
  const format = (json as { format?: unknown }).format;
  if (format !== 1) throw invalid("state.format", `unsupported paper venue snapshot format ${String(format)}`);
  const state = decode(json) as PaperVenueState;
  for (const key of ["settings", "ledger", "inflight", "quotes", "results"] as const) {
    if (typeof state[key] !== "object" || state[key] === null) throw invalid(`state.${key}`, "is missing from the snapshot");
  }
  return state;
}

function encode(value: unknown): unknown {
  if (Decimal.isDecimal(value)) return { $dec: (value as Decimal).toString() };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encode(v);
    return out;
  }
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "$dec" && typeof entries[0]![1] === "string") return new Decimal(entries[0]![1]);
    return Object.fromEntries(entries.map(([k, v]) => [k, decode(v)]));
  }
  return value;
}
