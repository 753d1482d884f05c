CREATE TABLE "case_deletions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_number" varchar(32) NOT NULL,
	"service_slug" varchar(80) NOT NULL,
	"service_version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"retention_days" integer NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_deletions_case_number_unique" UNIQUE("case_number")
);
--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "retention_days" integer;