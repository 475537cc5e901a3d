CREATE TABLE "supervision_letter_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"letter_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"actor_unit_id" uuid,
	"note" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "supervision_letter_items" (
	"letter_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"days_overdue" integer NOT NULL,
	"rework_count" integer NOT NULL,
	"relapse_count" integer NOT NULL,
	"deadline" timestamp with time zone,
	CONSTRAINT "supervision_letter_items_letter_id_issue_id_pk" PRIMARY KEY("letter_id","issue_id")
);
--> statement-breakpoint
CREATE TABLE "supervision_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"issuer_unit_id" uuid NOT NULL,
	"issuer_path" text NOT NULL,
	"issuer" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"reply_deadline" date NOT NULL,
	"state" text NOT NULL,
	"file_id" uuid,
	"reply_text" text,
	"replied_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "supervision_letters_number_unique" UNIQUE("number"),
	CONSTRAINT "supervision_letters_year_seq" UNIQUE("year","seq")
);
--> statement-breakpoint
CREATE TABLE "supervision_year_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "dispatched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "supervision_letter_events" ADD CONSTRAINT "supervision_letter_events_letter_id_supervision_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."supervision_letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letter_events" ADD CONSTRAINT "supervision_letter_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letter_events" ADD CONSTRAINT "supervision_letter_events_actor_unit_id_org_units_id_fk" FOREIGN KEY ("actor_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letter_items" ADD CONSTRAINT "supervision_letter_items_letter_id_supervision_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."supervision_letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letter_items" ADD CONSTRAINT "supervision_letter_items_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_issuer_unit_id_org_units_id_fk" FOREIGN KEY ("issuer_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_letters" ADD CONSTRAINT "supervision_letters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supervision_letter_events_letter_idx" ON "supervision_letter_events" USING btree ("letter_id","id");--> statement-breakpoint
CREATE INDEX "supervision_letter_items_issue_idx" ON "supervision_letter_items" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "supervision_letters_unit_idx" ON "supervision_letters" USING btree ("unit_id","created_at");--> statement-breakpoint
CREATE INDEX "supervision_letters_state_idx" ON "supervision_letters" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "issues_deadline_idx" ON "issues" USING btree ("deadline");--> statement-breakpoint
CREATE INDEX "issues_closed_at_idx" ON "issues" USING btree ("closed_at");