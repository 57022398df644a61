import { field, type SectionValue } from "../../core/index.ts";

/** Copy-trading engine settings (section `copy`; until app/config.ts composes it, `COPY_DEFAULTS` apply). */
export const copyConfig = {
  partitions: field.int("TRD_COPY_PARTITIONS", "Ordered fan-out lanes of the copy engine; a slave account's copies always share one lane, different lanes run in parallel.", {
    default: 8,
    min: 1,
    max: 1024,
  }),
  signalTtlSeconds: field.int("TRD_COPY_SIGNAL_TTL_SECONDS", "Default time to live of a master's open signal: older signals are not copied, and repair opens missed copies only within it.", {
    default: 60,
    min: 1,
    max: 86_400,
  }),
  attempts: field.int("TRD_COPY_ATTEMPTS", "Tries of one copy (the first included) when the slave's broker fails transiently.", { default: 3, min: 1, max: 20 }),
  resumeAfterMs: field.int("TRD_COPY_RESUME_AFTER_MS", "A persisted master signal still missing copies this long after detection is fanned out again (lost queue, killed worker).", {
    default: 10_000,
    min: 100,
  }),
  resumeLookbackMs: field.int("TRD_COPY_RESUME_LOOKBACK_MS", "How far back unfinished master signals are looked for when the engine resumes.", {
    default: 3_600_000,
    min: 1_000,
  }),
  superviseEveryMs: field.int("TRD_COPY_SUPERVISE_EVERY_MS", "How often the copy supervisor watches new masters and resumes unfinished fan-outs.", {
    default: 5_000,
    min: 100,
  }),
};

/** The loaded values of `copyConfig`. */
export type CopyConfig = SectionValue<typeof copyConfig>;

/** The declared defaults, for callers that build the engine without loading configuration. */
export const COPY_DEFAULTS: CopyConfig = {
  partitions: copyConfig.partitions.default!,
  signalTtlSeconds: copyConfig.signalTtlSeconds.default!,
  attempts: copyConfig.attempts.default!,
  resumeAfterMs: copyConfig.resumeAfterMs.default!,
  resumeLookbackMs: copyConfig.resumeLookbackMs.default!,
  superviseEveryMs: copyConfig.superviseEveryMs.default!,
};
