-- CreateTable
CREATE TABLE "copy_link_versions" (
    "master_account_id" UUID NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "copy_link_versions_pkey" PRIMARY KEY ("master_account_id")
);

-- Bumps the version of the given masters' links (see the CopyLinkVersion model).
CREATE FUNCTION "copy_link_versions_bump"(masters UUID[]) RETURNS VOID LANGUAGE SQL AS $$
  INSERT INTO "copy_link_versions" AS v ("master_account_id", "version")
  SELECT DISTINCT m, 1 FROM unnest(masters) AS m WHERE m IS NOT NULL
  ON CONFLICT ("master_account_id") DO UPDATE SET "version" = v."version" + 1;
$$;

-- Any change of a link: its master's links changed (both masters when a link moved).
CREATE FUNCTION "copy_links_changed"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "copy_link_versions_bump"(ARRAY[OLD."master_account_id", NEW."master_account_id"]);
  RETURN NULL;
END $$;

CREATE TRIGGER "copy_links_version" AFTER INSERT OR UPDATE OR DELETE ON "copy_links"
  FOR EACH ROW EXECUTE FUNCTION "copy_links_changed"();

-- What the fan-out reads of an account, other than what moves with prices (money, and the equity high-water mark
-- that SRM reads only as a model feature): the masters it follows, and its own links as a master (its provider
-- settings live in sync_settings), change.
CREATE FUNCTION "copy_account_changed"() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "copy_link_versions_bump"(ARRAY(
    SELECT "master_account_id" FROM "copy_links" WHERE "slave_account_id" = NEW."id"
    UNION SELECT NEW."id" WHERE EXISTS (SELECT 1 FROM "copy_links" WHERE "master_account_id" = NEW."id")));
  RETURN NULL;
END $$;

CREATE TRIGGER "copy_account_version" AFTER UPDATE ON "broker_accounts"
  FOR EACH ROW WHEN (
    OLD."user_id" IS DISTINCT FROM NEW."user_id" OR OLD."risk_state" IS DISTINCT FROM NEW."risk_state"
    OR OLD."day_start_balance" IS DISTINCT FROM NEW."day_start_balance" OR OLD."hedging" IS DISTINCT FROM NEW."hedging"
    OR OLD."sync_settings" IS DISTINCT FROM NEW."sync_settings")
  EXECUTE FUNCTION "copy_account_changed"();

-- Masters linked before versions existed start at 1.
INSERT INTO "copy_link_versions" ("master_account_id", "version") SELECT DISTINCT "master_account_id", 1 FROM "copy_links";
