ALTER TABLE "webhook_subscription" ADD COLUMN "previous_secret" text;--> statement-breakpoint
ALTER TABLE "webhook_subscription" ADD COLUMN "previous_secret_until" timestamp with time zone;