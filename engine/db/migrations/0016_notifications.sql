ALTER TABLE "outbox_mails" ADD COLUMN "html_body" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text DEFAULT 'de' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notification_opt_outs" text[] DEFAULT '{}'::text[] NOT NULL;