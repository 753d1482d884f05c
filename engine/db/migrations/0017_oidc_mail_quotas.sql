CREATE TABLE "mail_quotas" (
	"key" text PRIMARY KEY NOT NULL,
	"sent" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_issuer" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_subject" text;--> statement-breakpoint
CREATE INDEX "mail_quotas_window" ON "mail_quotas" USING btree ("window_started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_identity" ON "users" USING btree ("oidc_issuer","oidc_subject");--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_external_id_unique" UNIQUE("external_id");