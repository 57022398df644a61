-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('USER', 'QUANT', 'ADMIN');

-- CreateEnum
CREATE TYPE "user_plan" AS ENUM ('FREE', 'PRO', 'ENTERPRISE');

-- CreateEnum
CREATE TYPE "account_platform" AS ENUM ('MT4', 'MT5', 'PAPER');

-- CreateEnum
CREATE TYPE "account_role" AS ENUM ('MASTER', 'SLAVE', 'STANDALONE');

-- CreateEnum
CREATE TYPE "account_status" AS ENUM ('CREATED', 'DEPLOYING', 'DEPLOYED', 'CONNECTED', 'DISCONNECTED', 'UNDEPLOYED', 'ERROR');

-- CreateEnum
CREATE TYPE "risk_state" AS ENUM ('ACTIVE', 'REDUCING', 'HALTED');

-- CreateEnum
CREATE TYPE "strategy_type" AS ENUM ('MANUAL', 'AI_GENERATED', 'TEMPLATE');

-- CreateEnum
CREATE TYPE "provider_source" AS ENUM ('ACCOUNT', 'STATEMENT_IMPORT');

-- CreateEnum
CREATE TYPE "copy_link_status" AS ENUM ('ACTIVE', 'PAUSED', 'CLOSE_ONLY', 'STOPPED_BY_RISK');

-- CreateEnum
CREATE TYPE "intent_source" AS ENUM ('COPY', 'MANUAL', 'STRATEGY');

-- CreateEnum
CREATE TYPE "side" AS ENUM ('BUY', 'SELL');

-- CreateEnum
CREATE TYPE "intent_kind" AS ENUM ('OPEN', 'CLOSE', 'MODIFY', 'CLOSE_PARTIAL');

-- CreateEnum
CREATE TYPE "intent_status" AS ENUM ('RECEIVED', 'DECIDED', 'EXECUTED', 'REJECTED', 'FAILED');

-- CreateEnum
CREATE TYPE "decision_action" AS ENUM ('EXECUTE', 'REJECT');

-- CreateEnum
CREATE TYPE "execution_kind" AS ENUM ('OPEN', 'CLOSE', 'SL_FILL', 'TP_FILL', 'MODIFY');

-- CreateEnum
CREATE TYPE "execution_status" AS ENUM ('PENDING', 'FILLED', 'REJECTED', 'TIMEOUT', 'CANCELLED');

-- CreateEnum
CREATE TYPE "execution_origin" AS ENUM ('LIVE', 'PAPER', 'STATEMENT');

-- CreateEnum
CREATE TYPE "position_status" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "order_type" AS ENUM ('BUY_LIMIT', 'SELL_LIMIT', 'BUY_STOP', 'SELL_STOP', 'BUY_STOP_LIMIT', 'SELL_STOP_LIMIT');

-- CreateEnum
CREATE TYPE "order_state" AS ENUM ('PLACED', 'FILLED', 'CANCELLED', 'EXPIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "close_reason" AS ENUM ('SL', 'TP', 'MANUAL', 'STOP_OUT', 'COPY', 'EMERGENCY', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "trade_origin" AS ENUM ('BROKER', 'PAPER', 'STATEMENT');

-- CreateEnum
CREATE TYPE "metric_period" AS ENUM ('DAILY', 'WEEKLY', 'MONTHLY', 'ROLLING_30D', 'LIFETIME');

-- CreateEnum
CREATE TYPE "model_status" AS ENUM ('CANDIDATE', 'CHAMPION', 'RETIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "ab_test_status" AS ENUM ('DRAFT', 'RUNNING', 'STOPPED', 'SHIPPED');

-- CreateEnum
CREATE TYPE "ab_variant" AS ENUM ('CONTROL', 'TREATMENT');

-- CreateEnum
CREATE TYPE "analysis_kind" AS ENUM ('TREND', 'LEVELS', 'PATTERNS', 'REGIME', 'SUMMARY');

-- CreateEnum
CREATE TYPE "timeframe" AS ENUM ('M1', 'M5', 'M15', 'M30', 'H1', 'H4', 'D1');

-- CreateEnum
CREATE TYPE "sync_kind" AS ENUM ('RECONNECT', 'MANUAL', 'SCHEDULED', 'STARTUP');

-- CreateEnum
CREATE TYPE "sync_status" AS ENUM ('OK', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "risk_action" AS ENUM ('ALERT', 'REDUCE', 'HALT', 'CLOSE_POSITIONS', 'RESET');

-- CreateEnum
CREATE TYPE "copy_event_status" AS ENUM ('COPIED', 'SKIPPED', 'ADJUSTED', 'FAILED', 'REPAIRED');

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DEAD');

-- CreateEnum
CREATE TYPE "alert_severity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "user_role" NOT NULL DEFAULT 'USER',
    "plan" "user_plan" NOT NULL DEFAULT 'FREE',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broker_accounts" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "platform" "account_platform" NOT NULL,
    "broker" TEXT,
    "server" TEXT,
    "login" TEXT,
    "credentials" TEXT,
    "credentials_key_id" TEXT,
    "metaapi_account_id" TEXT,
    "role" "account_role" NOT NULL DEFAULT 'STANDALONE',
    "status" "account_status" NOT NULL DEFAULT 'CREATED',
    "risk_state" "risk_state" NOT NULL DEFAULT 'ACTIVE',
    "risk_state_reason" TEXT,
    "risk_state_changed_at" TIMESTAMPTZ(3),
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "leverage" INTEGER NOT NULL DEFAULT 100,
    "balance" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "equity" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "margin" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "free_margin" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "equity_high_water_mark" DECIMAL(20,4),
    "day_start_balance" DECIMAL(20,4),
    "sync_settings" JSONB NOT NULL DEFAULT '{}',
    "paper_settings" JSONB,
    "last_sync_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "broker_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trading_strategies" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "account_id" UUID,
    "name" TEXT NOT NULL,
    "type" "strategy_type" NOT NULL,
    "parameters" JSONB NOT NULL DEFAULT '{}',
    "risk_settings" JSONB NOT NULL DEFAULT '{}',
    "active" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trading_strategies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signal_providers" (
    "id" UUID NOT NULL,
    "owner_id" UUID,
    "master_account_id" UUID,
    "name" TEXT NOT NULL,
    "source" "provider_source" NOT NULL,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "score_state" JSONB,
    "score" DOUBLE PRECISION,
    "score_uncertainty" DOUBLE PRECISION,
    "trade_count" INTEGER NOT NULL DEFAULT 0,
    "first_trade_at" TIMESTAMPTZ(3),
    "last_trade_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signal_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "copy_links" (
    "id" UUID NOT NULL,
    "master_account_id" UUID NOT NULL,
    "slave_account_id" UUID NOT NULL,
    "provider_id" UUID,
    "rules" JSONB NOT NULL DEFAULT '{}',
    "status" "copy_link_status" NOT NULL DEFAULT 'ACTIVE',
    "status_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "copy_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trade_intents" (
    "id" UUID NOT NULL,
    "source" "intent_source" NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "provider_id" UUID,
    "copy_link_id" UUID,
    "strategy_id" UUID,
    "master_account_id" UUID,
    "master_deal_id" TEXT,
    "master_position_id" TEXT,
    "symbol" TEXT NOT NULL,
    "side" "side" NOT NULL,
    "kind" "intent_kind" NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL,
    "price" DECIMAL(20,10),
    "stop_loss" DECIMAL(20,10),
    "take_profit" DECIMAL(20,10),
    "signal_time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "ttl_seconds" INTEGER,
    "status" "intent_status" NOT NULL DEFAULT 'RECEIVED',
    "payload" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trade_intents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "srm_decisions" (
    "id" UUID NOT NULL,
    "intent_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "action" "decision_action" NOT NULL,
    "features" JSONB NOT NULL,
    "predictions" JSONB NOT NULL,
    "provider_score" DOUBLE PRECISION,
    "base_lot" DECIMAL(20,4) NOT NULL,
    "adjusted_lot" DECIMAL(20,4) NOT NULL,
    "original_sl" DECIMAL(20,10),
    "buffered_sl" DECIMAL(20,10),
    "take_profit" DECIMAL(20,10),
    "reason_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "model_versions" JSONB NOT NULL DEFAULT '{}',
    "policy_variant" TEXT,
    "experiment_id" UUID,
    "degraded" BOOLEAN NOT NULL DEFAULT false,
    "latency_us" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "srm_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "execution_logs" (
    "id" UUID NOT NULL,
    "decision_id" UUID,
    "intent_id" UUID,
    "position_id" UUID,
    "account_id" UUID NOT NULL,
    "client_order_id" TEXT NOT NULL,
    "broker_order_id" TEXT,
    "broker_deal_id" TEXT,
    "symbol" TEXT NOT NULL,
    "side" "side" NOT NULL,
    "kind" "execution_kind" NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL,
    "requested_price" DECIMAL(20,10),
    "filled_price" DECIMAL(20,10),
    "slippage_pips" DOUBLE PRECISION,
    "latency_ms" DOUBLE PRECISION,
    "market_atr" DOUBLE PRECISION,
    "trading_session" TEXT,
    "day_of_week" SMALLINT,
    "volatility_index" DOUBLE PRECISION,
    "spread" DECIMAL(20,10),
    "status" "execution_status" NOT NULL DEFAULT 'PENDING',
    "error_code" TEXT,
    "error" TEXT,
    "broker_code" TEXT,
    "origin" "execution_origin" NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "filled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "execution_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "broker_position_id" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" "side" NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL,
    "open_price" DECIMAL(20,10) NOT NULL,
    "current_price" DECIMAL(20,10),
    "stop_loss" DECIMAL(20,10),
    "take_profit" DECIMAL(20,10),
    "swap" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "commission" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "profit" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "predicted_slippage" DOUBLE PRECISION,
    "performance_score_at_entry" DOUBLE PRECISION,
    "srm_adjusted_lot" DECIMAL(20,4),
    "client_order_id" TEXT,
    "copy_link_id" UUID,
    "master_position_id" TEXT,
    "status" "position_status" NOT NULL DEFAULT 'OPEN',
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "positions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "broker_order_id" TEXT NOT NULL,
    "client_order_id" TEXT,
    "symbol" TEXT NOT NULL,
    "type" "order_type" NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL,
    "open_price" DECIMAL(20,10) NOT NULL,
    "stop_limit_price" DECIMAL(20,10),
    "stop_loss" DECIMAL(20,10),
    "take_profit" DECIMAL(20,10),
    "state" "order_state" NOT NULL DEFAULT 'PLACED',
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "closed_trades" (
    "id" UUID NOT NULL,
    "account_id" UUID,
    "provider_id" UUID,
    "position_id" UUID,
    "ticket" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" "side" NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL,
    "open_time" TIMESTAMPTZ(3) NOT NULL,
    "close_time" TIMESTAMPTZ(3) NOT NULL,
    "open_price" DECIMAL(20,10) NOT NULL,
    "close_price" DECIMAL(20,10) NOT NULL,
    "stop_loss" DECIMAL(20,10),
    "take_profit" DECIMAL(20,10),
    "commission" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "swap" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "profit" DECIMAL(20,4) NOT NULL,
    "pips" DOUBLE PRECISION,
    "close_reason" "close_reason" NOT NULL DEFAULT 'UNKNOWN',
    "origin" "trade_origin" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "closed_trades_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signal_provider_metrics" (
    "id" UUID NOT NULL,
    "provider_id" UUID NOT NULL,
    "period_type" "metric_period" NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "total_signals" INTEGER NOT NULL DEFAULT 0,
    "win_rate" DOUBLE PRECISION,
    "avg_slippage" DOUBLE PRECISION,
    "max_drawdown" DOUBLE PRECISION,
    "reward_to_risk" DOUBLE PRECISION,
    "sl_compliance_rate" DOUBLE PRECISION,
    "performance_score" DOUBLE PRECISION,
    "score_uncertainty" DOUBLE PRECISION,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signal_provider_metrics_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "srm_model_versions" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "artifact_path" TEXT NOT NULL,
    "metrics" JSONB NOT NULL DEFAULT '{}',
    "status" "model_status" NOT NULL DEFAULT 'CANDIDATE',
    "trained_from" TIMESTAMPTZ(3),
    "trained_to" TIMESTAMPTZ(3),
    "data_hash" TEXT NOT NULL,
    "config_hash" TEXT NOT NULL,
    "feature_schema" JSONB NOT NULL,
    "row_count" INTEGER NOT NULL,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promoted_at" TIMESTAMPTZ(3),

    CONSTRAINT "srm_model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "srm_model_aliases" (
    "kind" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "srm_model_aliases_pkey" PRIMARY KEY ("kind","alias")
);

-- CreateTable
CREATE TABLE "srm_ab_tests" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" "ab_test_status" NOT NULL DEFAULT 'DRAFT',
    "control_policy" JSONB NOT NULL,
    "treatment_policy" JSONB NOT NULL,
    "pilot_share" DECIMAL(6,4) NOT NULL,
    "metrics" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "min_sample_per_arm" INTEGER NOT NULL,
    "created_by_id" UUID,
    "started_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "shipped_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "srm_ab_tests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "srm_ab_assignments" (
    "id" UUID NOT NULL,
    "test_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "variant" "ab_variant" NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "srm_ab_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_reports" (
    "id" UUID NOT NULL,
    "model_kind" TEXT NOT NULL,
    "model_version_id" UUID,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "reference_rows" INTEGER NOT NULL,
    "current_rows" INTEGER NOT NULL,
    "features" JSONB NOT NULL,
    "performance" JSONB,
    "drifted" BOOLEAN NOT NULL,
    "drifted_share" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "drift_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_analyses" (
    "id" UUID NOT NULL,
    "symbol" TEXT NOT NULL,
    "timeframe" "timeframe" NOT NULL,
    "kind" "analysis_kind" NOT NULL,
    "result" JSONB NOT NULL,
    "confidence" DOUBLE PRECISION,
    "recommendations" JSONB,
    "synthetic" BOOLEAN NOT NULL DEFAULT false,
    "data_from" TIMESTAMPTZ(3) NOT NULL,
    "data_to" TIMESTAMPTZ(3) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_analyses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "candles" (
    "symbol" TEXT NOT NULL,
    "timeframe" "timeframe" NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "open" DECIMAL(20,10) NOT NULL,
    "high" DECIMAL(20,10) NOT NULL,
    "low" DECIMAL(20,10) NOT NULL,
    "close" DECIMAL(20,10) NOT NULL,
    "volume" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "spread" DECIMAL(20,10),
    "synthetic" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "candles_pkey" PRIMARY KEY ("symbol","timeframe","time")
);

-- CreateTable
CREATE TABLE "ticks" (
    "symbol" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "bid" DECIMAL(20,10) NOT NULL,
    "ask" DECIMAL(20,10) NOT NULL,
    "bid_volume" DECIMAL(20,4),
    "ask_volume" DECIMAL(20,4),
    "synthetic" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ticks_pkey" PRIMARY KEY ("symbol","time","seq")
);

-- CreateTable
CREATE TABLE "instruments" (
    "symbol" TEXT NOT NULL,
    "digits" INTEGER NOT NULL,
    "pip_size" DECIMAL(20,10) NOT NULL,
    "contract_size" DECIMAL(20,4) NOT NULL,
    "min_volume" DECIMAL(20,4) NOT NULL,
    "max_volume" DECIMAL(20,4) NOT NULL,
    "volume_step" DECIMAL(20,4) NOT NULL,
    "margin_rate" DECIMAL(12,8) NOT NULL,
    "base_currency" TEXT,
    "quote_currency" TEXT NOT NULL,
    "description" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instruments_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
CREATE TABLE "sync_logs" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "kind" "sync_kind" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,
    "items_synced" INTEGER NOT NULL DEFAULT 0,
    "items_failed" INTEGER NOT NULL DEFAULT 0,
    "status" "sync_status" NOT NULL,
    "error" TEXT,
    "details" JSONB,

    CONSTRAINT "sync_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_events" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "rule" TEXT NOT NULL,
    "from_state" "risk_state" NOT NULL,
    "to_state" "risk_state" NOT NULL,
    "measure" TEXT,
    "value" DECIMAL(20,8),
    "limit" DECIMAL(20,8),
    "action" "risk_action" NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "copy_events" (
    "id" UUID NOT NULL,
    "link_id" UUID NOT NULL,
    "intent_id" UUID,
    "slave_account_id" UUID NOT NULL,
    "master_deal_id" TEXT,
    "status" "copy_event_status" NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "detection_ms" DOUBLE PRECISION,
    "decision_ms" DOUBLE PRECISION,
    "queue_ms" DOUBLE PRECISION,
    "dispatch_ms" DOUBLE PRECISION,
    "ack_ms" DOUBLE PRECISION,
    "slippage_pips" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "copy_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_runs" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "job_id" TEXT,
    "status" "job_status" NOT NULL DEFAULT 'QUEUED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" UUID NOT NULL,
    "actor_user_id" UUID,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" UUID NOT NULL,
    "user_id" UUID,
    "account_id" UUID,
    "severity" "alert_severity" NOT NULL,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "acknowledged_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "broker_accounts_metaapi_account_id_key" ON "broker_accounts"("metaapi_account_id");

-- CreateIndex
CREATE INDEX "broker_accounts_user_id_idx" ON "broker_accounts"("user_id");

-- CreateIndex
CREATE INDEX "broker_accounts_credentials_key_id_idx" ON "broker_accounts"("credentials_key_id");

-- CreateIndex
CREATE INDEX "trading_strategies_user_id_idx" ON "trading_strategies"("user_id");

-- CreateIndex
CREATE INDEX "trading_strategies_account_id_idx" ON "trading_strategies"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "signal_providers_master_account_id_key" ON "signal_providers"("master_account_id");

-- CreateIndex
CREATE INDEX "signal_providers_owner_id_idx" ON "signal_providers"("owner_id");

-- CreateIndex
CREATE INDEX "signal_providers_score_idx" ON "signal_providers"("score");

-- CreateIndex
CREATE INDEX "copy_links_master_account_id_status_idx" ON "copy_links"("master_account_id", "status");

-- CreateIndex
CREATE INDEX "copy_links_slave_account_id_idx" ON "copy_links"("slave_account_id");

-- CreateIndex
CREATE INDEX "copy_links_provider_id_idx" ON "copy_links"("provider_id");

-- CreateIndex
CREATE UNIQUE INDEX "copy_links_master_account_id_slave_account_id_key" ON "copy_links"("master_account_id", "slave_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "trade_intents_dedup_key_key" ON "trade_intents"("dedup_key");

-- CreateIndex
CREATE INDEX "trade_intents_account_id_received_at_idx" ON "trade_intents"("account_id", "received_at");

-- CreateIndex
CREATE INDEX "trade_intents_master_account_id_master_deal_id_idx" ON "trade_intents"("master_account_id", "master_deal_id");

-- CreateIndex
CREATE UNIQUE INDEX "srm_decisions_intent_id_key" ON "srm_decisions"("intent_id");

-- CreateIndex
CREATE INDEX "srm_decisions_account_id_created_at_idx" ON "srm_decisions"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "srm_decisions_experiment_id_created_at_idx" ON "srm_decisions"("experiment_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "execution_logs_client_order_id_key" ON "execution_logs"("client_order_id");

-- CreateIndex
CREATE INDEX "execution_logs_account_id_created_at_idx" ON "execution_logs"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "execution_logs_symbol_filled_at_idx" ON "execution_logs"("symbol", "filled_at");

-- CreateIndex
CREATE INDEX "execution_logs_decision_id_idx" ON "execution_logs"("decision_id");

-- CreateIndex
CREATE INDEX "execution_logs_intent_id_idx" ON "execution_logs"("intent_id");

-- CreateIndex
CREATE INDEX "execution_logs_position_id_idx" ON "execution_logs"("position_id");

-- CreateIndex
CREATE INDEX "positions_copy_link_id_master_position_id_idx" ON "positions"("copy_link_id", "master_position_id");

-- CreateIndex
CREATE INDEX "positions_account_id_status_idx" ON "positions"("account_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "positions_account_id_broker_position_id_key" ON "positions"("account_id", "broker_position_id");

-- CreateIndex
CREATE INDEX "orders_account_id_state_idx" ON "orders"("account_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "orders_account_id_broker_order_id_key" ON "orders"("account_id", "broker_order_id");

-- CreateIndex
CREATE INDEX "closed_trades_account_id_close_time_idx" ON "closed_trades"("account_id", "close_time");

-- CreateIndex
CREATE INDEX "closed_trades_provider_id_close_time_idx" ON "closed_trades"("provider_id", "close_time");

-- CreateIndex
CREATE INDEX "closed_trades_position_id_idx" ON "closed_trades"("position_id");

-- CreateIndex
CREATE UNIQUE INDEX "closed_trades_provider_id_ticket_key" ON "closed_trades"("provider_id", "ticket");

-- CreateIndex
CREATE UNIQUE INDEX "closed_trades_account_id_ticket_key" ON "closed_trades"("account_id", "ticket");

-- CreateIndex
CREATE UNIQUE INDEX "signal_provider_metrics_provider_id_period_type_period_star_key" ON "signal_provider_metrics"("provider_id", "period_type", "period_start");

-- CreateIndex
CREATE INDEX "srm_model_versions_kind_created_at_idx" ON "srm_model_versions"("kind", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "srm_model_versions_kind_version_key" ON "srm_model_versions"("kind", "version");

-- CreateIndex
CREATE UNIQUE INDEX "srm_ab_tests_name_key" ON "srm_ab_tests"("name");

-- CreateIndex
CREATE INDEX "srm_ab_tests_status_idx" ON "srm_ab_tests"("status");

-- CreateIndex
CREATE INDEX "srm_ab_assignments_account_id_idx" ON "srm_ab_assignments"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "srm_ab_assignments_test_id_account_id_key" ON "srm_ab_assignments"("test_id", "account_id");

-- CreateIndex
CREATE INDEX "drift_reports_model_kind_created_at_idx" ON "drift_reports"("model_kind", "created_at");

-- CreateIndex
CREATE INDEX "ai_analyses_symbol_timeframe_computed_at_idx" ON "ai_analyses"("symbol", "timeframe", "computed_at");

-- CreateIndex
CREATE INDEX "sync_logs_account_id_started_at_idx" ON "sync_logs"("account_id", "started_at");

-- CreateIndex
CREATE INDEX "risk_events_account_id_created_at_idx" ON "risk_events"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "copy_events_link_id_created_at_idx" ON "copy_events"("link_id", "created_at");

-- CreateIndex
CREATE INDEX "copy_events_slave_account_id_created_at_idx" ON "copy_events"("slave_account_id", "created_at");

-- CreateIndex
CREATE INDEX "copy_events_intent_id_idx" ON "copy_events"("intent_id");

-- CreateIndex
CREATE INDEX "job_runs_name_started_at_idx" ON "job_runs"("name", "started_at");

-- CreateIndex
CREATE INDEX "job_runs_job_id_idx" ON "job_runs"("job_id");

-- CreateIndex
CREATE INDEX "audit_logs_entity_type_entity_id_idx" ON "audit_logs"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_logs_actor_user_id_created_at_idx" ON "audit_logs"("actor_user_id", "created_at");

-- CreateIndex
CREATE INDEX "alerts_user_id_created_at_idx" ON "alerts"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "alerts_account_id_created_at_idx" ON "alerts"("account_id", "created_at");

-- AddForeignKey
ALTER TABLE "broker_accounts" ADD CONSTRAINT "broker_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trading_strategies" ADD CONSTRAINT "trading_strategies_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trading_strategies" ADD CONSTRAINT "trading_strategies_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signal_providers" ADD CONSTRAINT "signal_providers_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signal_providers" ADD CONSTRAINT "signal_providers_master_account_id_fkey" FOREIGN KEY ("master_account_id") REFERENCES "broker_accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_links" ADD CONSTRAINT "copy_links_master_account_id_fkey" FOREIGN KEY ("master_account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_links" ADD CONSTRAINT "copy_links_slave_account_id_fkey" FOREIGN KEY ("slave_account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_links" ADD CONSTRAINT "copy_links_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "signal_providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_intents" ADD CONSTRAINT "trade_intents_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_intents" ADD CONSTRAINT "trade_intents_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "signal_providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_intents" ADD CONSTRAINT "trade_intents_copy_link_id_fkey" FOREIGN KEY ("copy_link_id") REFERENCES "copy_links"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_intents" ADD CONSTRAINT "trade_intents_strategy_id_fkey" FOREIGN KEY ("strategy_id") REFERENCES "trading_strategies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_decisions" ADD CONSTRAINT "srm_decisions_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "trade_intents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_decisions" ADD CONSTRAINT "srm_decisions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_decisions" ADD CONSTRAINT "srm_decisions_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "srm_ab_tests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "srm_decisions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "trade_intents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_position_id_fkey" FOREIGN KEY ("position_id") REFERENCES "positions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_logs" ADD CONSTRAINT "execution_logs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_copy_link_id_fkey" FOREIGN KEY ("copy_link_id") REFERENCES "copy_links"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "closed_trades" ADD CONSTRAINT "closed_trades_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "closed_trades" ADD CONSTRAINT "closed_trades_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "signal_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "closed_trades" ADD CONSTRAINT "closed_trades_position_id_fkey" FOREIGN KEY ("position_id") REFERENCES "positions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signal_provider_metrics" ADD CONSTRAINT "signal_provider_metrics_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "signal_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_model_aliases" ADD CONSTRAINT "srm_model_aliases_kind_version_fkey" FOREIGN KEY ("kind", "version") REFERENCES "srm_model_versions"("kind", "version") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_ab_tests" ADD CONSTRAINT "srm_ab_tests_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_ab_assignments" ADD CONSTRAINT "srm_ab_assignments_test_id_fkey" FOREIGN KEY ("test_id") REFERENCES "srm_ab_tests"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "srm_ab_assignments" ADD CONSTRAINT "srm_ab_assignments_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drift_reports" ADD CONSTRAINT "drift_reports_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "srm_model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_logs" ADD CONSTRAINT "sync_logs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_events" ADD CONSTRAINT "copy_events_link_id_fkey" FOREIGN KEY ("link_id") REFERENCES "copy_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_events" ADD CONSTRAINT "copy_events_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "trade_intents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "copy_events" ADD CONSTRAINT "copy_events_slave_account_id_fkey" FOREIGN KEY ("slave_account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_actor_user_id_fkey" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "broker_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
