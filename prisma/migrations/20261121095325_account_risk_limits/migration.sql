-- AlterTable
ALTER TABLE "broker_accounts" ADD COLUMN     "risk_limits" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "risk_windows" JSONB NOT NULL DEFAULT '{}';
