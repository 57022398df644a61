-- CreateTable
CREATE TABLE "paper_markets" (
    "stretch" TEXT NOT NULL,
    "venue_time" BIGINT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "paper_markets_pkey" PRIMARY KEY ("stretch")
);
