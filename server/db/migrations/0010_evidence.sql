CREATE TABLE "evidence_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
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
CREATE TABLE "evidence_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"requirement_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"standard_id" uuid NOT NULL,
	"item_node_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"period_key" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"slot" integer DEFAULT 1 NOT NULL,
	"number" text,
	"seq" integer,
	"title" text DEFAULT '' NOT NULL,
	"evidence_date" date,
	"description" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" uuid,
	"return_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_number_counters" (
	"standard_id" uuid PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence_requirements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"standard_id" uuid NOT NULL,
	"unit_id" uuid,
	"recurrence" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evidence_events" ADD CONSTRAINT "evidence_events_item_id_evidence_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."evidence_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_events" ADD CONSTRAINT "evidence_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_events" ADD CONSTRAINT "evidence_events_actor_unit_id_org_units_id_fk" FOREIGN KEY ("actor_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_requirement_id_evidence_requirements_id_fk" FOREIGN KEY ("requirement_id") REFERENCES "public"."evidence_requirements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_standard_id_indicator_nodes_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_item_node_id_indicator_nodes_id_fk" FOREIGN KEY ("item_node_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_items" ADD CONSTRAINT "evidence_items_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_number_counters" ADD CONSTRAINT "evidence_number_counters_standard_id_indicator_nodes_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requirements" ADD CONSTRAINT "evidence_requirements_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requirements" ADD CONSTRAINT "evidence_requirements_standard_id_indicator_nodes_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requirements" ADD CONSTRAINT "evidence_requirements_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_requirements" ADD CONSTRAINT "evidence_requirements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_events_item_idx" ON "evidence_events" USING btree ("item_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_items_slot_uq" ON "evidence_items" USING btree ("requirement_id","unit_id","period_key","slot");--> statement-breakpoint
CREATE UNIQUE INDEX "evidence_items_number_uq" ON "evidence_items" USING btree ("standard_id","seq") WHERE "evidence_items"."seq" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "evidence_items_matrix_idx" ON "evidence_items" USING btree ("system_id","unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "evidence_items_queue_idx" ON "evidence_items" USING btree ("state","submitted_at");--> statement-breakpoint
CREATE INDEX "evidence_items_unit_idx" ON "evidence_items" USING btree ("unit_id","state");--> statement-breakpoint
CREATE INDEX "evidence_items_standard_idx" ON "evidence_items" USING btree ("standard_id","unit_id");--> statement-breakpoint
CREATE INDEX "evidence_requirements_standard_idx" ON "evidence_requirements" USING btree ("system_id","standard_id");--> statement-breakpoint
CREATE INDEX "evidence_requirements_unit_idx" ON "evidence_requirements" USING btree ("unit_id");