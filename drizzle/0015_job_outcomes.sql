CREATE TABLE "job_check" (
	"job_id" uuid NOT NULL,
	"weeks" integer NOT NULL,
	"still_in_work" boolean NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "job_check_job_id_weeks_pk" PRIMARY KEY("job_id","weeks")
);
--> statement-breakpoint
CREATE TABLE "job_outcome" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"programme_id" text NOT NULL,
	"kind" text NOT NULL,
	"start_date" date NOT NULL,
	"hours_per_week" real NOT NULL,
	"job_title" text NOT NULL,
	"employer" text,
	"reported_by" text NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	"ended_on" date,
	"end_reason" text,
	"end_recorded_at" timestamp with time zone,
	"end_recorded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "job_report_draft" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"answers" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_sustainment" (
	"job_id" uuid NOT NULL,
	"weeks" integer NOT NULL,
	"evidence" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	CONSTRAINT "job_sustainment_job_id_weeks_pk" PRIMARY KEY("job_id","weeks")
);
--> statement-breakpoint
ALTER TABLE "programme" ADD COLUMN "outcomes" jsonb;--> statement-breakpoint
ALTER TABLE "job_check" ADD CONSTRAINT "job_check_job_id_job_outcome_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."job_outcome"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_outcome" ADD CONSTRAINT "job_outcome_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_outcome" ADD CONSTRAINT "job_outcome_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_outcome" ADD CONSTRAINT "job_outcome_confirmed_by_staff_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_outcome" ADD CONSTRAINT "job_outcome_end_recorded_by_staff_id_fk" FOREIGN KEY ("end_recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_report_draft" ADD CONSTRAINT "job_report_draft_participant_id_participant_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sustainment" ADD CONSTRAINT "job_sustainment_job_id_job_outcome_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."job_outcome"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_sustainment" ADD CONSTRAINT "job_sustainment_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_outcome_referral_idx" ON "job_outcome" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "job_outcome_programme_idx" ON "job_outcome" USING btree ("programme_id","start_date");