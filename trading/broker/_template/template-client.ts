/** The venue's payloads, as its SDK declares them (import the SDK's own types here). */
export interface TemplatePositionPayload {
  ticket: string;
  side: "buy" | "sell";
  symbol: string;
  lots: number;
  price: number;
  sl: number;
  tp: number;
  openedAt: string;
  clientTag?: string;
}

/** Raw client: mirrors the venue's API one call per method; no mapping, no retries (the adapter owns those). */
export class TemplateClient {
  constructor(readonly venueAccountId: string) {}

  /** https://venue.example/docs/connect */
  async connect(): Promise<void> {
    throw new Error("TemplateClient.connect: call the venue's SDK here");
  }

  /** https://venue.example/docs/disconnect */
  async disconnect(): Promise<void> {}

  /** https://venue.example/docs/positions */
  async getPositions(): Promise<TemplatePositionPayload[]> {
    throw new Error("TemplateClient.getPositions: call the venue's SDK here");
  }
}
