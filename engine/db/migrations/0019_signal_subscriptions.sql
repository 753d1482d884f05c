CREATE TABLE "signal_subscriptions" (
	"case_id" uuid NOT NULL,
	"subscription_id" varchar(32) NOT NULL,
	"signal_name" text NOT NULL,
	"element_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "signal_subscriptions_case_id_subscription_id_pk" PRIMARY KEY("case_id","subscription_id")
);
--> statement-breakpoint
ALTER TABLE "signal_subscriptions" ADD CONSTRAINT "signal_subscriptions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signal_subscriptions_route" ON "signal_subscriptions" USING btree ("signal_name");