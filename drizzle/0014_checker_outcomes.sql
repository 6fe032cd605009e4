CREATE TABLE "checker_outcome" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"day" date NOT NULL,
	"link_code" text,
	"ods_code" text,
	"source_code" text,
	"programme_id" text,
	"outcome" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_activity" (
	"day" date NOT NULL,
	"link_code" text NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"checks_started" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "link_activity_day_link_code_pk" PRIMARY KEY("day","link_code")
);
--> statement-breakpoint
ALTER TABLE "draft" ADD COLUMN "checker_outcome_id" uuid;--> statement-breakpoint
CREATE INDEX "checker_outcome_day_idx" ON "checker_outcome" USING btree ("day","link_code");