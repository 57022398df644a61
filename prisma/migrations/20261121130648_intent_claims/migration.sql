-- CreateTable
CREATE TABLE "intent_claims" (
    "dedup_key" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intent_claims_pkey" PRIMARY KEY ("dedup_key")
);

-- Every decided key so far is claimed by the decision that holds it.
INSERT INTO "intent_claims" ("dedup_key", "claimed_at") SELECT "dedup_key", "created_at" FROM "trade_intents";
