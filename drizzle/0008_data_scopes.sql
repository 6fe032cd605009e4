ALTER TABLE "api_key" ADD COLUMN "data_scopes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_subscription" ADD COLUMN "data_scopes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "api_key" SET "data_scopes" = '["health","equality"]'::jsonb;--> statement-breakpoint
UPDATE "webhook_subscription" SET "data_scopes" = '["health","equality"]'::jsonb;
