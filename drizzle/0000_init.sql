CREATE TABLE "consent" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"given" boolean NOT NULL,
	"text_version" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "draft" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"answered" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" jsonb,
	"eligibility" jsonb,
	"resume_token_hash" text,
	"resume_token_expires_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"referral_id" uuid,
	"programme_id" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "programme" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"area" jsonb NOT NULL,
	"area_description" text NOT NULL,
	"rules" jsonb NOT NULL,
	"contact_target_working_days" integer NOT NULL,
	"helpline_phone" text NOT NULL,
	"helpline_hours" text NOT NULL,
	"team_email" text NOT NULL,
	"alternatives" jsonb NOT NULL,
	"seed_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"draft_id" uuid NOT NULL,
	"programme_id" text NOT NULL,
	"eligibility_outcome" text NOT NULL,
	"eligibility" jsonb NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"postcode" text NOT NULL,
	"email" text,
	"phone" text,
	"employment_status" text NOT NULL,
	"answers" jsonb NOT NULL,
	"source_code" text NOT NULL,
	"source_ods_code" text,
	"source_link_code" text,
	"source_detail" text,
	"dwp_category" text NOT NULL,
	"contact_target_date" date NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_link" (
	"code" text PRIMARY KEY NOT NULL,
	"source_code" text NOT NULL,
	"ods_code" text,
	"programme_id" text,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent" ADD CONSTRAINT "consent_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral" ADD CONSTRAINT "referral_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_link" ADD CONSTRAINT "referral_link_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_referral_idx" ON "consent" USING btree ("referral_id");--> statement-breakpoint
CREATE UNIQUE INDEX "draft_token_hash_idx" ON "draft" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "draft_resume_token_hash_idx" ON "draft" USING btree ("resume_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "event_event_id_idx" ON "event" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "event_referral_idx" ON "event" USING btree ("referral_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_reference_idx" ON "referral" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_draft_id_idx" ON "referral" USING btree ("draft_id");--> statement-breakpoint
CREATE INDEX "referral_programme_idx" ON "referral" USING btree ("programme_id","submitted_at");