-- The issue event log is the case's history: like the audit log it only grows.
CREATE OR REPLACE FUNCTION append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER issue_events_no_update BEFORE UPDATE OR DELETE ON issue_events FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER issue_events_no_truncate BEFORE TRUNCATE ON issue_events FOR EACH STATEMENT EXECUTE FUNCTION append_only();
