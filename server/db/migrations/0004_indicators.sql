CREATE TABLE "indicator_node_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_nodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"parent_id" uuid,
	"level" text NOT NULL,
	"code" text NOT NULL,
	"text" text NOT NULL,
	"score" double precision,
	"methods" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"materials" text DEFAULT '' NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"path" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_systems" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"year" integer NOT NULL,
	"edition" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"total_score" double precision,
	"description" text DEFAULT '' NOT NULL,
	"copied_from_id" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_letters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"generated_file_id" uuid,
	"generated_at" timestamp with time zone,
	"signed_file_id" uuid,
	"signed_on" date,
	"signed_recorded_by" uuid,
	"signed_recorded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_progress_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"status" text NOT NULL,
	"percent" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reporter_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_units" (
	"id" uuid PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"role" text NOT NULL,
	"liaison_user_id" uuid,
	"status" text DEFAULT 'not_started' NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"last_report_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"node_id" uuid NOT NULL,
	"item_node_id" uuid NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"lead_unit_id" uuid,
	"deadline" date,
	"deadline_text" text DEFAULT '' NOT NULL,
	"phase" text,
	"materials" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"last_report_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "indicator_node_history" ADD CONSTRAINT "indicator_node_history_node_id_indicator_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_node_history" ADD CONSTRAINT "indicator_node_history_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_node_history" ADD CONSTRAINT "indicator_node_history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_nodes" ADD CONSTRAINT "indicator_nodes_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_nodes" ADD CONSTRAINT "indicator_nodes_parent_id_indicator_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_systems" ADD CONSTRAINT "indicator_systems_copied_from_id_indicator_systems_id_fk" FOREIGN KEY ("copied_from_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_systems" ADD CONSTRAINT "indicator_systems_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_letters" ADD CONSTRAINT "responsibility_letters_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_letters" ADD CONSTRAINT "responsibility_letters_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_letters" ADD CONSTRAINT "responsibility_letters_generated_file_id_files_id_fk" FOREIGN KEY ("generated_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_letters" ADD CONSTRAINT "responsibility_letters_signed_file_id_files_id_fk" FOREIGN KEY ("signed_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_letters" ADD CONSTRAINT "responsibility_letters_signed_recorded_by_users_id_fk" FOREIGN KEY ("signed_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_progress_reports" ADD CONSTRAINT "task_progress_reports_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_progress_reports" ADD CONSTRAINT "task_progress_reports_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_progress_reports" ADD CONSTRAINT "task_progress_reports_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_units" ADD CONSTRAINT "task_units_liaison_user_id_users_id_fk" FOREIGN KEY ("liaison_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_system_id_indicator_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."indicator_systems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_node_id_indicator_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_item_node_id_indicator_nodes_id_fk" FOREIGN KEY ("item_node_id") REFERENCES "public"."indicator_nodes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_lead_unit_id_org_units_id_fk" FOREIGN KEY ("lead_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_node_history_node_idx" ON "indicator_node_history" USING btree ("node_id","id");--> statement-breakpoint
CREATE INDEX "indicator_nodes_system_idx" ON "indicator_nodes" USING btree ("system_id","level","sort");--> statement-breakpoint
CREATE INDEX "indicator_nodes_parent_idx" ON "indicator_nodes" USING btree ("parent_id","sort");--> statement-breakpoint
CREATE INDEX "indicator_nodes_path_idx" ON "indicator_nodes" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "indicator_nodes_code_uq" ON "indicator_nodes" USING btree ("system_id","code") WHERE "indicator_nodes"."is_active";--> statement-breakpoint
CREATE INDEX "indicator_systems_year_idx" ON "indicator_systems" USING btree ("year","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_letters_uq" ON "responsibility_letters" USING btree ("system_id","unit_id");--> statement-breakpoint
CREATE INDEX "task_progress_reports_task_idx" ON "task_progress_reports" USING btree ("task_id","at");--> statement-breakpoint
CREATE INDEX "task_progress_reports_unit_idx" ON "task_progress_reports" USING btree ("unit_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "task_units_task_unit_uq" ON "task_units" USING btree ("task_id","unit_id");--> statement-breakpoint
CREATE INDEX "task_units_unit_idx" ON "task_units" USING btree ("unit_id","task_id");--> statement-breakpoint
CREATE INDEX "task_units_path_idx" ON "task_units" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tasks_system_idx" ON "tasks" USING btree ("system_id","seq");--> statement-breakpoint
CREATE INDEX "tasks_node_idx" ON "tasks" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "tasks_item_idx" ON "tasks" USING btree ("item_node_id");--> statement-breakpoint
CREATE INDEX "tasks_deadline_idx" ON "tasks" USING btree ("status","deadline");