-- Each issuing office (the city's or a district's 创文办) numbers its own 督办函. The letters and
-- counters so far were the city's: they move to the root unit (without a root unit there were none).
ALTER TABLE "supervision_letters" ADD COLUMN "office_unit_id" uuid;--> statement-breakpoint
UPDATE "supervision_letters" SET "office_unit_id" = (SELECT "id" FROM "org_units" WHERE "parent_id" IS NULL ORDER BY "created_at" LIMIT 1);--> statement-breakpoint
ALTER TABLE "supervision_letters" ALTER COLUMN "office_unit_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_letters" DROP CONSTRAINT "supervision_letters_year_seq";--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_office_year_seq" UNIQUE("office_unit_id","year","seq");--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_office_unit_id_org_units_id_fk" FOREIGN KEY ("office_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_year_counters" ADD COLUMN "office_unit_id" uuid;--> statement-breakpoint
UPDATE "supervision_year_counters" SET "office_unit_id" = (SELECT "id" FROM "org_units" WHERE "parent_id" IS NULL ORDER BY "created_at" LIMIT 1);--> statement-breakpoint
DELETE FROM "supervision_year_counters" WHERE "office_unit_id" IS NULL;--> statement-breakpoint
ALTER TABLE "supervision_year_counters" ALTER COLUMN "office_unit_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "supervision_year_counters" DROP CONSTRAINT "supervision_year_counters_pkey";--> statement-breakpoint
ALTER TABLE "supervision_year_counters" ADD CONSTRAINT "supervision_year_counters_office_unit_id_year_pk" PRIMARY KEY("office_unit_id","year");--> statement-breakpoint
ALTER TABLE "supervision_year_counters" ADD CONSTRAINT "supervision_year_counters_office_unit_id_org_units_id_fk" FOREIGN KEY ("office_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;
