-- A (link, master event) logged twice by racing attempts keeps its first row.
DELETE FROM "copy_events" e
  USING "copy_events" f
  WHERE e."link_id" = f."link_id" AND e."master_deal_id" = f."master_deal_id"
    AND (e."created_at", e."id") > (f."created_at", f."id");

-- CreateIndex
CREATE UNIQUE INDEX "copy_events_link_id_master_deal_id_key" ON "copy_events"("link_id", "master_deal_id");
