CREATE TABLE "volunteer_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"team_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"themes" text[] DEFAULT '{}' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"station_id" uuid,
	"point_id" uuid,
	"address" text DEFAULT '' NOT NULL,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"radius_m" integer NOT NULL,
	"capacity" integer NOT NULL,
	"min_age" integer,
	"max_age" integer,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"signup_deadline" timestamp with time zone NOT NULL,
	"is_cancelled" boolean DEFAULT false NOT NULL,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"verify_code" text NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"name" text NOT NULL,
	"id_type_label" text NOT NULL,
	"id_masked" text NOT NULL,
	"minutes" integer NOT NULL,
	"record_count" integer NOT NULL,
	"record_ids" uuid[] NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"content" text NOT NULL,
	"issuer" text NOT NULL,
	"issuer_unit_path" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_by" uuid
);
--> statement-breakpoint
CREATE TABLE "volunteer_record_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"record_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"activity_id" uuid,
	"team_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"minutes" integer NOT NULL,
	"service_date" date NOT NULL,
	"service_end" timestamp with time zone NOT NULL,
	"content" text NOT NULL,
	"source" text,
	"reason" text,
	"evidence_file_id" uuid,
	"corrects_id" uuid,
	"superseded_by" uuid,
	"is_late" boolean DEFAULT false NOT NULL,
	"is_auto_checkout" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"ratio_target_permille" integer DEFAULT 80 NOT NULL,
	"star_thresholds" integer[] DEFAULT '{100,300,600,1000,1500}' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_signups" (
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"state" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"checkin_at" timestamp with time zone,
	"checkin_lng" double precision,
	"checkin_lat" double precision,
	"checkout_at" timestamp with time zone,
	"is_auto_checkout" boolean DEFAULT false NOT NULL,
	CONSTRAINT "volunteer_signups_activity_id_volunteer_id_pk" PRIMARY KEY("activity_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_station_teams" (
	"station_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	CONSTRAINT "volunteer_station_teams_station_id_team_id_pk" PRIMARY KEY("station_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_stations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"point_id" uuid,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_tags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_team_admins" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "volunteer_team_admins_team_id_user_id_pk" PRIMARY KEY("team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_team_members" (
	"team_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"state" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	CONSTRAINT "volunteer_team_members_team_id_volunteer_id_pk" PRIMARY KEY("team_id","volunteer_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_token_uses" (
	"activity_id" uuid NOT NULL,
	"volunteer_id" uuid NOT NULL,
	"step" bigint NOT NULL,
	"action" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_token_uses_activity_id_volunteer_id_step_pk" PRIMARY KEY("activity_id","volunteer_id","step")
);
--> statement-breakpoint
CREATE TABLE "volunteers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"id_type" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_enc" text NOT NULL,
	"id_masked" text NOT NULL,
	"gender" text NOT NULL,
	"birth_date" date NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_hash" text NOT NULL,
	"phone_tail" text NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"service_areas" text[] DEFAULT '{}' NOT NULL,
	"service_times" text[] DEFAULT '{}' NOT NULL,
	"community_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"consent_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"search_text" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_station_id_volunteer_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."volunteer_stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_activities" ADD CONSTRAINT "volunteer_activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_certificates" ADD CONSTRAINT "volunteer_certificates_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_certificates" ADD CONSTRAINT "volunteer_certificates_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_record_events" ADD CONSTRAINT "volunteer_record_events_record_id_volunteer_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."volunteer_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_records" ADD CONSTRAINT "volunteer_records_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_records" ADD CONSTRAINT "volunteer_records_activity_id_volunteer_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."volunteer_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_records" ADD CONSTRAINT "volunteer_records_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_records" ADD CONSTRAINT "volunteer_records_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_records" ADD CONSTRAINT "volunteer_records_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_sessions" ADD CONSTRAINT "volunteer_sessions_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_signups" ADD CONSTRAINT "volunteer_signups_activity_id_volunteer_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."volunteer_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_signups" ADD CONSTRAINT "volunteer_signups_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_station_teams" ADD CONSTRAINT "volunteer_station_teams_station_id_volunteer_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."volunteer_stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_station_teams" ADD CONSTRAINT "volunteer_station_teams_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_stations" ADD CONSTRAINT "volunteer_stations_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_stations" ADD CONSTRAINT "volunteer_stations_point_id_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_admins" ADD CONSTRAINT "volunteer_team_admins_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_admins" ADD CONSTRAINT "volunteer_team_admins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_members" ADD CONSTRAINT "volunteer_team_members_team_id_volunteer_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."volunteer_teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_members" ADD CONSTRAINT "volunteer_team_members_volunteer_id_volunteers_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_team_members" ADD CONSTRAINT "volunteer_team_members_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_teams" ADD CONSTRAINT "volunteer_teams_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteers" ADD CONSTRAINT "volunteers_community_id_org_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "volunteer_activities_unit_path_idx" ON "volunteer_activities" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteer_activities_team_idx" ON "volunteer_activities" USING btree ("team_id","starts_at");--> statement-breakpoint
CREATE INDEX "volunteer_activities_open_idx" ON "volunteer_activities" USING btree ("ends_at") WHERE closed_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_certificates_number_uq" ON "volunteer_certificates" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_certificates_code_uq" ON "volunteer_certificates" USING btree ("verify_code");--> statement-breakpoint
CREATE INDEX "volunteer_certificates_volunteer_idx" ON "volunteer_certificates" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_certificates_issuer_unit_path_idx" ON "volunteer_certificates" USING btree ("issuer_unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteer_record_events_record_idx" ON "volunteer_record_events" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "volunteer_records_volunteer_idx" ON "volunteer_records" USING btree ("volunteer_id","state");--> statement-breakpoint
CREATE INDEX "volunteer_records_unit_path_idx" ON "volunteer_records" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteer_records_pending_idx" ON "volunteer_records" USING btree ("created_at") WHERE state = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_records_checkin_uq" ON "volunteer_records" USING btree ("activity_id","volunteer_id") WHERE kind = 'checkin';--> statement-breakpoint
CREATE INDEX "volunteer_signups_volunteer_idx" ON "volunteer_signups" USING btree ("volunteer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_stations_name_uq" ON "volunteer_stations" USING btree ("name");--> statement-breakpoint
CREATE INDEX "volunteer_stations_unit_path_idx" ON "volunteer_stations" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_tags_uq" ON "volunteer_tags" USING btree ("category","name");--> statement-breakpoint
CREATE INDEX "volunteer_team_admins_user_idx" ON "volunteer_team_admins" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "volunteer_team_members_volunteer_idx" ON "volunteer_team_members" USING btree ("volunteer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_teams_name_uq" ON "volunteer_teams" USING btree ("name");--> statement-breakpoint
CREATE INDEX "volunteer_teams_unit_path_idx" ON "volunteer_teams" USING btree ("unit_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_id_hash_uq" ON "volunteers" USING btree ("id_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_number_uq" ON "volunteers" USING btree ("number");--> statement-breakpoint
CREATE INDEX "volunteers_community_path_idx" ON "volunteers" USING btree ("community_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "volunteers_phone_hash_idx" ON "volunteers" USING btree ("phone_hash");--> statement-breakpoint
-- hand-written
CREATE SEQUENCE IF NOT EXISTS volunteer_number_seq;--> statement-breakpoint
CREATE SEQUENCE IF NOT EXISTS volunteer_certificate_seq;--> statement-breakpoint
ALTER TABLE volunteer_records DROP CONSTRAINT IF EXISTS volunteer_records_minutes_ck;--> statement-breakpoint
ALTER TABLE volunteer_records ADD CONSTRAINT volunteer_records_minutes_ck CHECK (minutes >= 0);--> statement-breakpoint
-- service records are never deleted (《志愿服务记录与证明出具办法》: corrections are new records)
CREATE OR REPLACE FUNCTION volunteer_records_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'volunteer service records are never deleted';
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS volunteer_records_no_delete ON volunteer_records;--> statement-breakpoint
CREATE TRIGGER volunteer_records_no_delete BEFORE DELETE ON volunteer_records FOR EACH ROW EXECUTE FUNCTION volunteer_records_no_delete();
