import { createDataset, type Dataset } from "../../models/index.ts";
import { encodeFeatures, type FeatureSchema } from "../features/index.ts";
import type { SlippageRow } from "./slippage-rows.ts";

/** Encodes rows with a schema into a models Dataset (row-major Float32Array). */
export function toDataset(rows: readonly SlippageRow[], schema: FeatureSchema): Dataset {
  const d = schema.names.length;
  const X = new Float32Array(rows.length * d);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    encodeFeatures(schema, r.features, X.subarray(i * d, (i + 1) * d));
    y[i] = r.slippagePips;
  });
  return createDataset(X, y, schema.names);
}

/**
 * Time-ordered hold-out taken per account: each account's last `share` of fills is validation. A global time
 * cut would validate on whichever accounts happen to trade last (unrelated providers in different eras), which
 * measures account shift rather than prediction; within each account the hold-out is still strictly later.
 */
export function splitByAccountTime(rows: readonly SlippageRow[], share = 0.2): { train: SlippageRow[]; validation: SlippageRow[] } {
  const byAccount = new Map<string, SlippageRow[]>();
  for (const r of rows) {
    const list = byAccount.get(r.accountId);
    if (list) list.push(r);
    else byAccount.set(r.accountId, [r]);
  }
  const train: SlippageRow[] = [];
  const validation: SlippageRow[] = [];
  for (const list of byAccount.values()) {
    const cut = Math.floor(list.length * (1 - share));
    train.push(...list.slice(0, cut));
    validation.push(...list.slice(cut));
  }
  const byTime = (a: SlippageRow, b: SlippageRow) => a.at - b.at;
  return { train: train.sort(byTime), validation: validation.sort(byTime) };
}
