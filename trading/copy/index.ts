/**
 * Copy trading: master accounts' trades detected from their broker events, persisted, fanned out per slave
 * account in ordered lanes, planned by combined provider/subscriber rules, decided by SRM (source COPY) and
 * executed through the execution service, exactly once per (master event, slave); missed copies repaired;
 * latency and slippage logged per copy.
 */
export { CopyTrading, type CopyTradingOptions } from "./copy-trading.ts";
export { CopyEngine, type CopyEngineOptions } from "./copy-engine.ts";
export { CopyLinks, type CreateLinkInput, type LinkHooks } from "./copy-links.ts";
export { copyConfig, COPY_DEFAULTS, type CopyConfig } from "./copy.config.ts";
export { COPY_FANOUT_JOB, copyJobId, type AttemptInfo, type CopyJobData, type CopyTask, type EnqueueCopy, type RepairTask } from "./replication/copy-job.ts";
export { copyEventView, type CopyTiming } from "./replication/copy-recorder.ts";
export type { CopyResult } from "./replication/copy-context.ts";
export type { ResumeReport } from "./replication/fan-out.ts";
export type { RepairReport } from "./replication/link-repair.ts";
export { copyStats, CopyStats, type CopyStatsView, type Percentiles } from "./telemetry/copy-stats.ts";
export { copyDedupKey, signalDedupKey, eventIds, type MasterSignal, type SignalKind } from "./master-signal.ts";
export { combineSettings } from "./rules/combine-settings.ts";
export { parseCopySettings, type CopySettings, type EffectiveSettings, type LotScaling, type LotScalingMode, type SymbolNaming } from "./rules/copy-settings.ts";
export { validateSettings, settingsContradictions, type SettingsProblem, type SymbolLookup } from "./rules/validate-settings.ts";
export { sizeCopy, type CopyReason, type Sized, type SizingInput } from "./rules/lot-scaling.ts";
export { mapSymbol, mappingCycles } from "./rules/symbol-mapping.ts";
export { linkCycle, type LinkEdge } from "./rules/link-cycle.ts";
export { PROVIDER_SETTINGS_KEY, providerSettingsOf } from "./rules/provider-settings.ts";
export { MasterBook } from "./detection/master-book.ts";
