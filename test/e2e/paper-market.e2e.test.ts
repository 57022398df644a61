import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnsFromTicks, storeTicks } from "../../analysis/market-data/index.ts";
import type { Database } from "../../prisma/index.ts";
import { syntheticTicks } from "../../trading/copy/testing/paper-broker.ts";
import type { PaperVenue } from "../../trading/paper/index.ts";
import { testApi, type TestApi } from "../kit/api.ts";
import { freshDatabase } from "../kit/db.ts";
import { eventually } from "../kit/eventually.ts";

const FROM = Date.UTC(2024, 0, 2, 10, 0, 0);
/** Venue time runs five times faster than the wall clock here. */
const SPEED = 5;
/** How far apart two venues may read while each one's own timer paces it (about 1 s of a busy event loop). */
const SLACK_MS = 5_000;
/**
 * Across processes the joining venue is placed by the wall clock since the last report, while the playing one
 * falls behind it whenever its event loop is busy (a full test run): about 2 s of wall time, still well short
 * of the 12 s of venue time the first one played before the second connected.
 */
const CROSS_PROCESS_SLACK_MS = 10_000;

// Paper accounts playing the same recorded stretch share one market: whenever one connects, the venues of that
// stretch move to the furthest of them, so a copy's master and slave quote the same instant.
describe("paper accounts replaying one stretch share one market clock", () => {
  let db: Database;
  let api: TestApi;
  let auth: Record<string, string>;
  const venue = (id: string): PaperVenue => api.container.trading.sessions.peek(id)!.paper!;
  const post = (url: string, payload?: Record<string, unknown>, headers = auth) => api.app.inject({ method: "POST", url, headers, ...(payload ? { payload } : {}) });
  const deploy = async (id: string) => expect((await post(`/accounts/${id}/deploy`)).statusCode).toBe(200);
  const undeploy = async (id: string) => expect((await post(`/accounts/${id}/undeploy`)).statusCode).toBe(200);
  const account = async (name: string, headers = auth) => {
    const res = await post("/accounts", { name, platform: "PAPER", initialBalance: "10000" }, headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  /** Waits until the venue has played at least `ms` of venue time past `since`. */
  const played = (id: string, since: number, ms: number) => eventually(() => expect(venue(id).now).toBeGreaterThanOrEqual(since + ms), 10_000, 20);

  beforeAll(async () => {
    db = await freshDatabase("pglite");
    api = await testApi(db, { TRD_PAPER_REPLAY_SPEED: String(SPEED), TRD_EQUITY_CHECK_MS: "0" });
    await db.prisma.instrument.create({
      data: { symbol: "EURUSD", digits: 5, pipSize: "0.0001", contractSize: "100000", minVolume: "0.01", maxVolume: "100", volumeStep: "0.01", marginRate: "0.01", baseCurrency: "EUR", quoteCurrency: "USD" },
    });
    await storeTicks(db, { symbol: "EURUSD" }, [columnsFromTicks(syntheticTicks(FROM, 120))]);
    auth = (await api.user()).auth;
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });

  it("a venue connected later joins the one already playing; one restored ahead brings it up", async () => {
    const first = await account("first");
    const second = await account("second");
    await deploy(first);
    await played(first, FROM, 12_000);

    // Connected 12+ s of venue time later, the second venue starts where the first one is, not at the start.
    await deploy(second);
    expect(Math.abs(venue(second).now - venue(first).now)).toBeLessThan(SLACK_MS);
    expect(venue(second).now).toBeGreaterThanOrEqual(FROM + 12_000);

    // The first is saved and closed; the second plays on and is saved 10+ s further on. Once nothing has played
    // the stretch for a while (every process stopped), the first resumes where it was saved; the second, restored
    // ahead of it, brings it up to its own instant.
    await undeploy(first);
    const closedAt = venue(second).now;
    await played(second, closedAt, 10_000);
    await undeploy(second);
    await db.prisma.paperMarket.updateMany({ data: { seenAt: new Date(Date.now() - 3_600_000) } });
    await deploy(first);
    const resumed = venue(first).now;
    expect(resumed).toBeLessThan(closedAt + 10_000);
    await deploy(second);
    expect(venue(second).now).toBeGreaterThanOrEqual(closedAt + 10_000);
    expect(Math.abs(venue(first).now - venue(second).now)).toBeLessThan(SLACK_MS);
    expect(venue(first).playing && venue(second).playing).toBe(true);
  });

  it("a venue connected in another process joins the market its stretch plays at", async () => {
    // Another user (a free plan holds two accounts).
    const { auth: theirs } = await api.user();
    const here = await account("here", theirs);
    expect((await post(`/accounts/${here}/deploy`, undefined, theirs)).statusCode).toBe(200);
    await played(here, venue(here).now, 12_000);
    // A second process (its own container and sessions) on the same database: its venue starts at the instant
    // this process reported, moved on by the time since.
    const other = await testApi(db, { TRD_PAPER_REPLAY_SPEED: String(SPEED), TRD_EQUITY_CHECK_MS: "0" });
    try {
      const elsewhere = await account("elsewhere", theirs);
      expect((await other.app.inject({ method: "POST", url: `/accounts/${elsewhere}/deploy`, headers: theirs })).statusCode).toBe(200);
      const there = other.container.trading.sessions.peek(elsewhere)!.paper!;
      expect(there.now).toBeGreaterThan(FROM + 12_000);
      expect(Math.abs(there.now - venue(here).now)).toBeLessThan(CROSS_PROCESS_SLACK_MS);
    } finally {
      await other.close();
    }
  });
});
