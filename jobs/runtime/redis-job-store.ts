import { RedisConnection, type RedisClient } from "bullmq";
import type { Logger } from "../../core/index.ts";
import type { RunRecord } from "./job-runtime.ts";

/** Counters kept beside BullMQ's queues, since BullMQ trims finished jobs and has no notion of a skipped run. */
export type RunCounter = "completed" | "failed" | "skipped";

const SCRIPTS = {
  riskloopLockAcquire: {
    numberOfKeys: 1,
    lua: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end return 0`,
  },
  riskloopLockRenew: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
  },
  riskloopLockRelease: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  },
  // The worker processes consuming a partitioned job, scored by their last heartbeat on Redis's clock (so the
  // members' own clocks cannot disagree about who is stale). ARGV: member, ttl ms. Returns the live members.
  riskloopLaneBeat: {
    numberOfKeys: 1,
    lua: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 4)
return redis.call('ZRANGE', KEYS[1], 0, -1)`,
  },
  // ARGV: ttl ms. The live members, without renewing anyone.
  riskloopLaneLive: {
    numberOfKeys: 1,
    lua: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf')`,
  },
  riskloopLaneLeave: {
    numberOfKeys: 1,
    lua: `return redis.call('ZREM', KEYS[1], ARGV[1])`,
  },
  // Lane holds: KEYS[1] a hash lane -> holder, KEYS[2] the holders scored by their last renewal (Redis's clock).
  // A holder keeps renewing while it holds any lane, closing included, so a lane moves only once its holder gave it
  // up (its workers closed, its `released` hook done) or stopped renewing for the ttl (it died).
  // ARGV: member, ttl ms, lanes. Takes every lane that is free, already this member's, or held by a lapsed
  // holder; returns those.
  riskloopLaneTake: {
    numberOfKeys: 2,
    lua: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local taken = {}
for i = 3, #ARGV do
  local owner = redis.call('HGET', KEYS[1], ARGV[i])
  local free = (not owner) or owner == ARGV[1]
  if not free then
    local seen = redis.call('ZSCORE', KEYS[2], owner)
    free = (not seen) or tonumber(seen) < now - tonumber(ARGV[2])
  end
  if free then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[1])
    taken[#taken + 1] = ARGV[i]
  end
end
if #taken > 0 then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
return taken`,
  },
  // KEYS[1] the holds, KEYS[2] the holders. ARGV: member, ttl ms. Renews the member's holds and returns the lanes it
  // still holds (a process stalled past the ttl finds those another took over missing).
  riskloopLaneHold: {
    numberOfKeys: 2,
    lua: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) * 4)
local held = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then held[#held + 1] = all[i] end
end
return held`,
  },
  // ARGV: member, lanes. Gives up those of the lanes this member holds.
  riskloopLaneGive: {
    numberOfKeys: 1,
    lua: `local n = 0
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then n = n + redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return n`,
  },
  // ARGV: keep, completed, failed, skipped increments, then run records oldest first.
  riskloopRecordRuns: {
    numberOfKeys: 2,
    lua: `for i = 5, #ARGV do redis.call('LPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[1]) - 1)
local names = { 'completed', 'failed', 'skipped' }
for i = 1, 3 do
  local n = tonumber(ARGV[i + 1])
  if n > 0 then redis.call('HINCRBY', KEYS[2], names[i], n) end
end
return 1`,
  },
} as const;

/** Run records are written at most this often per process: one script call per job instead of one per run. */
export const RUN_LOG_FLUSH_MS = 50;

interface PendingRuns {
  records: RunRecord[];
  counts: Record<RunCounter, number>;
}

/**
 * The runtime's own Redis keys, under `<prefix>:_runtime:<job>:` (a leading "_" cannot start a job name, so
 * these never meet BullMQ's `<prefix>:<queue>:` keys): the no-overlap lock, recent runs and run counters.
 */
export class RedisJobStore {
  private readonly connection: RedisConnection;
  private ready: Promise<RedisClient> | undefined;
  private pending = new Map<string, PendingRuns>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly keep: number,
  ) {
    // Not a blocking connection: lock and bookkeeping calls should fail, not wait forever, while Redis is down.
    this.connection = new RedisConnection({ url: redisUrl }, { blocking: false });
    this.connection.on("error", (err: unknown) => this.logger.warn({ err }, "job store Redis connection error"));
  }

  async acquireLock(job: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run("riskloopLockAcquire", [this.key(job, "lock"), token, ttlMs])) === 1;
  }

  async renewLock(job: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run("riskloopLockRenew", [this.key(job, "lock"), token, ttlMs])) === 1;
  }

  async releaseLock(job: string, token: string): Promise<void> {
    await this.run("riskloopLockRelease", [this.key(job, "lock"), token]);
  }

  /** Buffers a finished run (and its counter); written by the next flush, within RUN_LOG_FLUSH_MS. */
  recordRun(job: string, record: RunRecord, counter: RunCounter | undefined): void {
    let entry = this.pending.get(job);
    if (!entry) this.pending.set(job, (entry = { records: [], counts: { completed: 0, failed: 0, skipped: 0 } }));
    entry.records.push(record);
    if (entry.records.length > this.keep) entry.records.shift();
    if (counter) entry.counts[counter]++;
    this.flushTimer ??= setTimeout(() => void this.flush(), RUN_LOG_FLUSH_MS);
  }

  /** Writes buffered runs now, after any write already under way; resolves when all of them are done. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /** Bookkeeping never fails a job: a failed write is logged and dropped. */
  private async write(batch: Map<string, PendingRuns>): Promise<void> {
    await Promise.all(
      [...batch].map(async ([job, { records, counts }]) => {
        const args = [this.keep, counts.completed, counts.failed, counts.skipped, ...records.map((r) => JSON.stringify(r))];
        await this.run("riskloopRecordRuns", [this.key(job, "runs"), this.key(job, "stats"), ...args]).catch((err: unknown) =>
          this.logger.warn({ err, job, runs: records.length }, "run records not saved"),
        );
      }),
    );
  }

  /** Marks `member` alive as a consumer of `job`'s lanes and returns the live members, sorted. */
  async laneMembers(job: string, member: string, ttlMs: number): Promise<string[]> {
    return ((await this.run("riskloopLaneBeat", [this.key(job, "members"), member, ttlMs])) as string[]).sort();
  }

  /** The live consumers of `job`'s lanes, sorted (read only: for status). */
  async liveLaneMembers(job: string, ttlMs: number): Promise<string[]> {
    return ((await this.run("riskloopLaneLive", [this.key(job, "members"), ttlMs])) as string[]).sort();
  }

  /** Takes `member` out of `job`'s consumers at once (a clean shutdown), so the others take its lanes. */
  async leaveLanes(job: string, member: string): Promise<void> {
    await this.run("riskloopLaneLeave", [this.key(job, "members"), member]);
  }

  /** Takes those of `lanes` that no live process holds (see `riskloopLaneTake`); returns the lanes taken. */
  async takeLanes(job: string, member: string, lanes: readonly number[], ttlMs: number): Promise<number[]> {
    const taken = (await this.run("riskloopLaneTake", [this.key(job, "holds"), this.key(job, "holders"), member, ttlMs, ...lanes])) as string[];
    return taken.map(Number);
  }

  /** Renews this process' holds on `job`'s lanes (it keeps them while it runs, or closes); returns the lanes it holds. */
  async renewHolds(job: string, member: string, ttlMs: number): Promise<number[]> {
    return ((await this.run("riskloopLaneHold", [this.key(job, "holds"), this.key(job, "holders"), member, ttlMs])) as string[]).map(Number);
  }

  /** Gives up this process' holds on `lanes`, so another process may take them. */
  async giveLanes(job: string, member: string, lanes: readonly number[]): Promise<void> {
    if (lanes.length > 0) await this.run("riskloopLaneGive", [this.key(job, "holds"), member, ...lanes]);
  }

  async recentRuns(job: string, count: number): Promise<RunRecord[]> {
    const rows = await (await this.client()).lrange(this.key(job, "runs"), 0, count - 1);
    return rows.map((row) => JSON.parse(row) as RunRecord);
  }

  async counters(job: string): Promise<Record<RunCounter, number>> {
    const raw = await (await this.client()).hgetall(this.key(job, "stats"));
    return { completed: Number(raw["completed"] ?? 0), failed: Number(raw["failed"] ?? 0), skipped: Number(raw["skipped"] ?? 0) };
  }

  /** Deletes every key under the prefix, BullMQ's included; for tests and decommissioning. */
  async purge(): Promise<number> {
    const client = await this.client();
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${this.prefix}:*`, COUNT: 1000 });
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
    return deleted;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.connection.close();
  }

  private key(job: string, what: "lock" | "runs" | "stats" | "members" | "holds" | "holders"): string {
    return `${this.prefix}:_runtime:${job}:${what}`;
  }

  private client(): Promise<RedisClient> {
    this.ready ??= this.connection.client.then((client) => {
      for (const [name, def] of Object.entries(SCRIPTS)) client.defineCommand(name, def);
      return client;
    });
    return this.ready;
  }

  private async run(script: keyof typeof SCRIPTS, args: Array<string | number>): Promise<unknown> {
    return (await this.client()).runCommand(script, args);
  }
}
