import type { MasterSignal } from "../master-signal.ts";

/** The partitioned job that carries copies; keyed by slave account, so one slave's copies stay in order. */
export const COPY_FANOUT_JOB = "copy-fanout";

/** Copy one master signal to one link's slave. */
export interface CopyTask {
  type: "copy";
  signal: MasterSignal;
  linkId: string;
  slaveAccountId: string;
  /** Wall-clock ms when the detector received the master event: queue latency starts here. */
  detectedAt: number;
  /** Set when repair (not live detection) found the copy missing; a copy it makes is logged REPAIRED. */
  repair?: boolean;
}

/** One copy target of a batch: a link and its slave. */
export interface CopyTarget {
  linkId: string;
  slaveAccountId: string;
}

/**
 * Copy one master signal to every target whose slave shares one ordered lane: they run concurrently inside the
 * job (a lane would otherwise make each wait for the previous slave's whole copy), while each slave's copies
 * still run in signal order because its lane runs one job at a time.
 */
export interface CopyBatchTask {
  type: "copies";
  signal: MasterSignal;
  targets: CopyTarget[];
  /**
   * The version of the master's links the fan-out read (see `LinkBook`): the batch takes the links at that
   * version from its own process' book, so jobs carry ids, not snapshots.
   */
  linksVersion: string;
  detectedAt: number;
}

/** Compare a link's slave with its master and repair the difference (missing opens within TTL, orphaned copies). */
export interface RepairTask {
  type: "repair";
  linkId: string;
  slaveAccountId: string;
  why: "startup" | "master-reconnect" | "slave-reconnect" | "link-resumed" | "request";
}

/** What the fan-out job carries (JSON: it may travel through Redis). */
export type CopyJobData = CopyTask | CopyBatchTask | RepairTask;

/** Sends a job to the slave's ordered lane; `jobId` makes the enqueue idempotent while the runtime remembers it. */
export type EnqueueCopy = (slaveAccountId: string, data: CopyJobData, jobId: string) => Promise<void>;

/** The ordered lane a slave account's jobs go to (the job runtime's own partitioning of the key). */
export type LaneOf = (slaveAccountId: string) => number;

/** The attempt a handler runs in, so the last one records a failure instead of asking for a retry. */
export interface AttemptInfo {
  number: number;
  last: boolean;
  signal?: AbortSignal;
  /** Called when the copy's order is handed to the slave's broker (a copy that sends nothing never calls it). */
  onSent?: () => void;
}

/** Queue job ids may not contain ":" and have a bounded length. */
export function copyJobId(...parts: string[]): string {
  return parts.join(".").replace(/:/g, "_").slice(0, 200);
}
