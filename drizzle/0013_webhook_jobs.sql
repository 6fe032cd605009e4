ALTER TABLE "job" ADD COLUMN "delivery_id" bigint;--> statement-breakpoint
-- Every webhook delivery still waiting gets its job (kind "webhook.delivery", key "webhook:<delivery id>"),
-- with its tries so far, its next try and its last error; a lease held now is not carried over (the
-- delivery is simply due). Delivered and dead deliveries need no job: they are kept as the record.
INSERT INTO "job" ("kind", "key", "status", "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "created_at", "delivery_id")
SELECT 'webhook.delivery', 'webhook:' || "id"::text, 'pending', "attempts", "created_at", "next_attempt_at", NULL, "last_error", "created_at", "id"
FROM "webhook_delivery" WHERE "status" = 'pending'
ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint
ALTER TABLE "webhook_delivery" DROP COLUMN "locked_until";--> statement-breakpoint
CREATE INDEX "job_delivery_idx" ON "job" USING btree ("delivery_id");
