import { describe, expect, it } from "vitest";
import { metaapiFixtures } from "./fixtures/metaapi-fixtures.ts";
import { parseAccountInformation } from "./parse-account-information.ts";

describe("parseAccountInformation", () => {
  it("gives money as decimals rounded to the account currency's digits", () => {
    const a = parseAccountInformation(metaapiFixtures.accountInformation()[0]!, 42);
    expect(a.equity.toString()).toBe("7306.65");
    expect(a.balance.toString()).toBe("7319.9");
    expect(a.freeMargin.toString()).toBe("7120.22");
    expect(a.marginLevel?.toString()).toBe("3967.58");
    expect(a).toMatchObject({ leverage: 100, currency: "USD", tradeAllowed: true, hedging: true, receivedAt: 42 });
  });

  it("reports an MT5 netting account as not hedging and no margin level without margin", () => {
    const a = parseAccountInformation(metaapiFixtures.accountInformation()[1]!, 1);
    expect(a.hedging).toBe(false);
    expect(a.marginLevel).toBeUndefined();
  });

  it("treats MT4 as hedging whatever the margin mode says", () => {
    const raw = { ...metaapiFixtures.accountInformation()[1]!, platform: "mt4" };
    expect(parseAccountInformation(raw, 1).hedging).toBe(true);
  });
});
