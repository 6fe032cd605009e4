DROP INDEX "referral_awaiting_idx";--> statement-breakpoint
DROP INDEX "referral_inbox_rest_idx";--> statement-breakpoint
ALTER TABLE "programme" ADD COLUMN "service" jsonb;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "acknowledge_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "acknowledged_staff_id" uuid;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "resolution" text;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "wellbeing_concern" ADD CONSTRAINT "wellbeing_concern_acknowledged_staff_id_staff_id_fk" FOREIGN KEY ("acknowledged_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wellbeing_concern_escalation_idx" ON "wellbeing_concern" USING btree ("acknowledge_by") WHERE "wellbeing_concern"."resolved_at" is null and "wellbeing_concern"."acknowledged_at" is null and "wellbeing_concern"."escalated_at" is null and "wellbeing_concern"."acknowledge_by" is not null;--> statement-breakpoint
CREATE INDEX "referral_awaiting_idx" ON "referral" USING btree ("programme_id","contact_target_date","submitted_at","reference") WHERE "referral"."status" in ('received', 'meeting-booked') and "referral"."first_contact_at" is null;--> statement-breakpoint
CREATE INDEX "referral_inbox_rest_idx" ON "referral" USING btree ("programme_id","submitted_at","reference") WHERE not ("referral"."status" in ('received', 'meeting-booked') and "referral"."first_contact_at" is null);