-- AlterTable
ALTER TABLE "broker_accounts" ADD COLUMN     "hedging" BOOLEAN;

-- Known without asking the broker: MT4 always hedges; a paper account nets only when created to.
UPDATE "broker_accounts" SET "hedging" = true WHERE "platform" = 'MT4';
UPDATE "broker_accounts" SET "hedging" = coalesce(("paper_settings" ->> 'hedging')::boolean, true) WHERE "platform" = 'PAPER';
