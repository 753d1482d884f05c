CREATE TABLE "case_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"staff_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_filters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"shared_with_group_id" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "roles" text[] DEFAULT '{caseworker}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "away_from" date;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "away_until" date;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "substitute_id" uuid;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_filters" ADD CONSTRAINT "saved_filters_shared_with_group_id_groups_id_fk" FOREIGN KEY ("shared_with_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_notes_case" ON "case_notes" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "saved_filters_staff" ON "saved_filters" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "saved_filters_group" ON "saved_filters" USING btree ("shared_with_group_id");--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_substitute_id_staff_id_fk" FOREIGN KEY ("substitute_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_status_created" ON "cases" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "cases_search" ON "cases" USING gin (to_tsvector('german'::regconfig, coalesce(subject, '') || ' ' || variables::text));--> statement-breakpoint
CREATE INDEX "tasks_open_due" ON "tasks" USING btree ("status","due_date");--> statement-breakpoint
CREATE INDEX "tasks_assignee" ON "tasks" USING btree ("assignee","status");--> statement-breakpoint
CREATE INDEX "tasks_candidate_groups" ON "tasks" USING gin ("candidate_groups");--> statement-breakpoint
-- Administrators keep what they could do: is_admin becomes the role (the column goes in 0009).
UPDATE "staff" SET "roles" = '{caseworker,administrator}'::text[] WHERE "is_admin";