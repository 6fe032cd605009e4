CREATE TABLE "job" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"event_id" uuid,
	"meeting_id" uuid,
	"participant_id" uuid,
	"channel" text,
	"recipient" text
);
--> statement-breakpoint
-- Every row of the three old queues moves into "job", with its id, so nothing waiting is lost and what
-- was sent stays on record: emails keep their (event, address) uniqueness as the key ("email:<event>:<to>"),
-- meeting reminders their key (it starts "meeting-reminder:" already), check-in reminders theirs with
-- "check-in-reminder:" in front. "sent" becomes "done".
INSERT INTO "job" ("id", "kind", "key", "status", "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "done_at", "created_at", "payload", "event_id", "channel", "recipient")
SELECT "id", 'email', 'email:' || "event_id"::text || ':' || "to", CASE WHEN "status" = 'sent' THEN 'done' ELSE "status" END, "attempts", "created_at", "next_attempt_at", "locked_until", "last_error", "sent_at", "created_at",
	jsonb_build_object('kind', "kind", 'subject', "subject", 'body', "body", 'attachments', "attachments"), "event_id", 'email', "to"
FROM "email_outbox";--> statement-breakpoint
INSERT INTO "job" ("id", "kind", "key", "status", "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "done_at", "created_at", "meeting_id", "channel", "recipient")
SELECT "id", 'meeting.reminder', "key", CASE WHEN "status" = 'sent' THEN 'done' ELSE "status" END, "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "sent_at", "created_at", "meeting_id", "channel", "to"
FROM "reminder_outbox";--> statement-breakpoint
INSERT INTO "job" ("id", "kind", "key", "status", "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "done_at", "created_at", "payload", "participant_id", "channel", "recipient")
SELECT "id", 'check_in.reminder', 'check-in-reminder:' || "key", CASE WHEN "status" = 'sent' THEN 'done' ELSE "status" END, "attempts", "due_at", "next_attempt_at", "locked_until", "last_error", "sent_at", "created_at",
	jsonb_build_object('pointId', "point_id"), "participant_id", "channel", "to"
FROM "check_in_reminder";--> statement-breakpoint
DROP TABLE "check_in_reminder" CASCADE;--> statement-breakpoint
DROP TABLE "email_outbox" CASCADE;--> statement-breakpoint
DROP TABLE "reminder_outbox" CASCADE;--> statement-breakpoint
CREATE UNIQUE INDEX "job_key_idx" ON "job" USING btree ("key");--> statement-breakpoint
CREATE INDEX "job_due_idx" ON "job" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "job_event_idx" ON "job" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "job_meeting_idx" ON "job" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "job_participant_idx" ON "job" USING btree ("participant_id");