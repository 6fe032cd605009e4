CREATE TABLE "check_in_reminder" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"participant_id" uuid NOT NULL,
	"point_id" text NOT NULL,
	"channel" text NOT NULL,
	"to" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dialog_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"check_in_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"programme_id" text NOT NULL,
	"area_key" text NOT NULL,
	"action" text NOT NULL,
	"created_staff_id" uuid,
	"reviewed_at" timestamp with time zone,
	"review_check_in_id" uuid,
	"review_outcome" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wellbeing_concern" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"participant_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"programme_id" text NOT NULL,
	"check_in_id" uuid,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "check_in" ADD COLUMN "point_id" text;--> statement-breakpoint
ALTER TABLE "check_in_reminder" ADD CONSTRAINT "check_in_reminder_participant_id_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_check_in_id_check_in_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_participant_id_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_created_staff_id_staff_id_fk" FOREIGN KEY ("created_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialog_action" ADD CONSTRAINT "dialog_action_review_check_in_id_check_in_id_fk" FOREIGN KEY ("review_check_in_id") REFERENCES "public"."check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_participant_id_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_check_in_id_check_in_id_fk" FOREIGN KEY ("check_in_id") REFERENCES "public"."check_in"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_resolved_staff_id_staff_id_fk" FOREIGN KEY ("resolved_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "check_in_reminder_key_idx" ON "check_in_reminder" USING btree ("key");--> statement-breakpoint
CREATE INDEX "check_in_reminder_due_idx" ON "check_in_reminder" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "dialog_action_participant_idx" ON "dialog_action" USING btree ("participant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wellbeing_concern_key_idx" ON "wellbeing_concern" USING btree ("key");--> statement-breakpoint
CREATE INDEX "wellbeing_concern_open_idx" ON "wellbeing_concern" USING btree ("programme_id","resolved_at");