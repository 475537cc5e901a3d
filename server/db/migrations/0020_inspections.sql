CREATE TABLE "inspection_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"inspection_id" uuid,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_fragments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"items" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_fragments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "inspection_item_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "inspection_item_groups_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "inspection_observations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"group_code" text NOT NULL,
	"outcome" text NOT NULL,
	"value" jsonb NOT NULL,
	"grade" text,
	"earned_units" integer NOT NULL,
	"possible_units" integer NOT NULL,
	"note" text,
	"photo_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"issue_id" uuid,
	"current" boolean DEFAULT true NOT NULL,
	"amendment" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_occurrences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" uuid NOT NULL,
	"point_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"due_from" timestamp with time zone NOT NULL,
	"due_to" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"inspector_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_photos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"inspection_id" uuid NOT NULL,
	"client_key" text NOT NULL,
	"file_id" uuid NOT NULL,
	"item_key" text,
	"taken_at" timestamp with time zone,
	"lng" double precision,
	"lat" double precision
);
--> statement-breakpoint
CREATE TABLE "inspection_plan_points" (
	"plan_id" uuid NOT NULL,
	"point_id" uuid NOT NULL,
	CONSTRAINT "inspection_plan_points_plan_id_point_id_pk" PRIMARY KEY("plan_id","point_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"team_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"template_id" uuid,
	"period_start" text NOT NULL,
	"period_end" text NOT NULL,
	"schedule_kind" text NOT NULL,
	"window_days" integer DEFAULT 7 NOT NULL,
	"allow_late" boolean DEFAULT false NOT NULL,
	"issues_on" text DEFAULT 'submit' NOT NULL,
	"selection" text NOT NULL,
	"draw" jsonb,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_team_members" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "inspection_team_members_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"leader_id" uuid NOT NULL,
	"area_unit_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inspection_teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "inspection_template_point_types" (
	"template_id" uuid NOT NULL,
	"point_type_id" uuid NOT NULL,
	CONSTRAINT "inspection_template_point_types_template_id_point_type_id_pk" PRIMARY KEY("template_id","point_type_id")
);
--> statement-breakpoint
CREATE TABLE "inspection_template_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"model" jsonb NOT NULL,
	"items" jsonb,
	"published_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"system_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"occurrence_id" uuid NOT NULL,
	"client_key" text NOT NULL,
	"plan_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"point_id" uuid NOT NULL,
	"point_type_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"template_version_id" uuid NOT NULL,
	"inspector_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"started_at" timestamp with time zone,
	"inspected_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lng" double precision,
	"lat" double precision,
	"accuracy_m" double precision,
	"distance_m" integer,
	"far_from_point" boolean DEFAULT false NOT NULL,
	"earned_units" bigint DEFAULT 0 NOT NULL,
	"possible_units" bigint DEFAULT 0 NOT NULL,
	"observed_count" integer DEFAULT 0 NOT NULL,
	"failed_count" integer DEFAULT 0 NOT NULL,
	"na_count" integer DEFAULT 0 NOT NULL,
	"issues_raised_at" timestamp with time zone,
	"amendment_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inspection_events" ADD CONSTRAINT "inspection_events_occurrence_id_inspection_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."inspection_occurrences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_events" ADD CONSTRAINT "inspection_events_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_events" ADD CONSTRAINT "inspection_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_observations" ADD CONSTRAINT "inspection_observations_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_observations" ADD CONSTRAINT "inspection_observations_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_occurrences" ADD CONSTRAINT "inspection_occurrences_plan_id_inspection_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."inspection_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_occurrences" ADD CONSTRAINT "inspection_occurrences_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_occurrences" ADD CONSTRAINT "inspection_occurrences_template_version_id_inspection_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."inspection_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_occurrences" ADD CONSTRAINT "inspection_occurrences_team_id_inspection_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."inspection_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_occurrences" ADD CONSTRAINT "inspection_occurrences_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_photos" ADD CONSTRAINT "inspection_photos_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plan_points" ADD CONSTRAINT "inspection_plan_points_plan_id_inspection_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."inspection_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plan_points" ADD CONSTRAINT "inspection_plan_points_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_team_id_inspection_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."inspection_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_template_id_inspection_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."inspection_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_plans" ADD CONSTRAINT "inspection_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_team_members" ADD CONSTRAINT "inspection_team_members_team_id_inspection_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."inspection_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_team_members" ADD CONSTRAINT "inspection_team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_teams" ADD CONSTRAINT "inspection_teams_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_teams" ADD CONSTRAINT "inspection_teams_leader_id_users_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_template_point_types" ADD CONSTRAINT "inspection_template_point_types_template_id_inspection_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."inspection_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_template_point_types" ADD CONSTRAINT "inspection_template_point_types_point_type_id_point_types_id_fk" FOREIGN KEY ("point_type_id") REFERENCES "public"."point_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_template_versions" ADD CONSTRAINT "inspection_template_versions_template_id_inspection_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."inspection_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_occurrence_id_inspection_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."inspection_occurrences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_plan_id_inspection_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."inspection_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_point_type_id_point_types_id_fk" FOREIGN KEY ("point_type_id") REFERENCES "public"."point_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_template_version_id_inspection_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."inspection_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_inspector_id_users_id_fk" FOREIGN KEY ("inspector_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspection_events_occurrence_idx" ON "inspection_events" USING btree ("occurrence_id","id");--> statement-breakpoint
CREATE INDEX "inspection_observations_inspection_idx" ON "inspection_observations" USING btree ("inspection_id","item_key");--> statement-breakpoint
CREATE INDEX "inspection_observations_issue_idx" ON "inspection_observations" USING btree ("issue_id") WHERE "inspection_observations"."issue_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_occurrences_uq" ON "inspection_occurrences" USING btree ("plan_id","point_id","due_from");--> statement-breakpoint
CREATE INDEX "inspection_occurrences_team_due_idx" ON "inspection_occurrences" USING btree ("team_id","due_from");--> statement-breakpoint
CREATE INDEX "inspection_occurrences_open_due_idx" ON "inspection_occurrences" USING btree ("due_to") WHERE "inspection_occurrences"."state" IN ('pending', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_photos_client_key_uq" ON "inspection_photos" USING btree ("client_key");--> statement-breakpoint
CREATE INDEX "inspection_photos_inspection_idx" ON "inspection_photos" USING btree ("inspection_id");--> statement-breakpoint
CREATE INDEX "inspection_team_members_user_idx" ON "inspection_team_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "inspection_template_point_types_type_idx" ON "inspection_template_point_types" USING btree ("point_type_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inspection_template_versions_uq" ON "inspection_template_versions" USING btree ("template_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_occurrence_uq" ON "inspections" USING btree ("occurrence_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inspections_client_key_uq" ON "inspections" USING btree ("client_key");--> statement-breakpoint
CREATE INDEX "inspections_point_idx" ON "inspections" USING btree ("point_id","inspected_at");--> statement-breakpoint
CREATE INDEX "inspections_area_path_idx" ON "inspections" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "inspections_inspected_idx" ON "inspections" USING btree ("inspected_at");--> statement-breakpoint
CREATE INDEX "inspections_plan_idx" ON "inspections" USING btree ("plan_id");--> statement-breakpoint
-- hand-written
CREATE TRIGGER inspection_events_no_update BEFORE UPDATE OR DELETE ON inspection_events FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER inspection_events_no_truncate BEFORE TRUNCATE ON inspection_events FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION inspection_template_version_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'inspection template version % is published and frozen', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspection_template_versions_frozen BEFORE UPDATE OR DELETE ON inspection_template_versions FOR EACH ROW EXECUTE FUNCTION inspection_template_version_frozen();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION inspection_observation_frozen() RETURNS trigger AS $$
BEGIN
  -- an observation is written once; the only later change is `current` (an amendment replaced it) and `issue_id` (the issue raised for it)
  IF NEW.inspection_id IS DISTINCT FROM OLD.inspection_id OR NEW.item_key IS DISTINCT FROM OLD.item_key OR NEW.outcome IS DISTINCT FROM OLD.outcome
     OR NEW.value IS DISTINCT FROM OLD.value OR NEW.earned_units IS DISTINCT FROM OLD.earned_units OR NEW.possible_units IS DISTINCT FROM OLD.possible_units
     OR NEW.photo_ids IS DISTINCT FROM OLD.photo_ids OR NEW.note IS DISTINCT FROM OLD.note THEN
    RAISE EXCEPTION 'inspection observations are never edited in place' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER inspection_observations_frozen BEFORE UPDATE ON inspection_observations FOR EACH ROW EXECUTE FUNCTION inspection_observation_frozen();
--> statement-breakpoint
INSERT INTO inspection_item_groups (code, name, sort) VALUES
  ('gy', '公益宣传', 1), ('hj', '环境卫生', 2), ('zx', '公共秩序', 3), ('ss', '基础设施', 4), ('fw', '服务规范', 5),
  ('wm', '文明行为', 6), ('zy', '志愿服务', 7), ('wza', '无障碍', 8), ('xf', '消防安全', 9), ('wcn', '未成年人', 10)
ON CONFLICT (code) DO NOTHING;
