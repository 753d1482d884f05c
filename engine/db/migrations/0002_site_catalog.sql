CREATE TABLE "sites" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"municipality" text NOT NULL,
	"area_sqm" integer NOT NULL,
	"use_types" text[] NOT NULL,
	"price_per_sqm_eur" integer,
	"available_from" text,
	"motorway_km" integer,
	"rail_access" boolean DEFAULT false NOT NULL,
	"gigabit" boolean DEFAULT false NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
