import { describe } from "vitest";
import { runBrokerConformance } from "../../test/conformance/broker-adapter.ts";
import { hasSharedData, sharedDataPath, describeIfData } from "../../test/kit/shared-data.ts";
import { PaperVenue } from "./paper-venue.ts";
import { ArrayMarketDataReader } from "./testing/array-market-data-reader.ts";
import { readLeanTicks } from "./testing/lean-csv.ts";
import { TEST_INSTRUMENTS } from "./testing/paper-instruments.ts";

const TICKS = ["prices", "lean", "oanda_eurusd_tick_bidask.csv.gz"] as const;
const from = Date.UTC(2014, 4, 1);
const to = Date.UTC(2014, 4, 2);

// The paper venue over one real day of OANDA EURUSD ticks passes the suite every broker adapter runs.
describeIfData(hasSharedData(...TICKS), "paper venue", () => {
  runBrokerConformance("paper venue on real EURUSD ticks", async () => {
    const reader = new ArrayMarketDataReader({ ticks: { EURUSD: readLeanTicks(sharedDataPath(...TICKS), from, to) } });
    const venue = new PaperVenue({ accountId: "paper-conformance", reader, instruments: TEST_INSTRUMENTS, symbols: ["EURUSD"], from, to, latency: { kind: "fixed", ms: 50 } });
    return { adapter: venue, scenario: { symbol: "EURUSD", prepareMarket: () => venue.advanceTo(from + 3_600_000), advance: (ms) => venue.advanceBy(ms) } };
  });
});
