CREATE TABLE "erasure_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"programme_id" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"reason" text,
	"status" text DEFAULT 'requested' NOT NULL,
	"due_by" date NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"refusal_reason" text,
	"refusal_note" text
);
--> statement-breakpoint
ALTER TABLE "referral" ALTER COLUMN "date_of_birth" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "programme" ADD COLUMN "retention_years" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referral" ADD COLUMN "report_facts" jsonb;--> statement-breakpoint
ALTER TABLE "erasure_request" ADD CONSTRAINT "erasure_request_referral_id_referral_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referral"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_request" ADD CONSTRAINT "erasure_request_programme_id_programme_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programme"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_request" ADD CONSTRAINT "erasure_request_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erasure_request_referral_idx" ON "erasure_request" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "erasure_request_open_idx" ON "erasure_request" USING btree ("programme_id","status");