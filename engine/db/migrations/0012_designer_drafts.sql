CREATE TABLE "service_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" varchar(80) NOT NULL,
	"files" jsonb NOT NULL,
	"based_on_version_id" uuid,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_drafts_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "service_versions" ADD COLUMN "files" jsonb;--> statement-breakpoint
ALTER TABLE "service_versions" ADD COLUMN "published_by" uuid;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "pause_message_de" text;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "pause_message_en" text;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "service_drafts" ADD CONSTRAINT "service_drafts_based_on_version_id_service_versions_id_fk" FOREIGN KEY ("based_on_version_id") REFERENCES "public"."service_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_drafts" ADD CONSTRAINT "service_drafts_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_drafts" ADD CONSTRAINT "service_drafts_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_versions" ADD CONSTRAINT "service_versions_published_by_staff_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;