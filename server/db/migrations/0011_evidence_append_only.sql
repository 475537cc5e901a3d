-- The steps of an evidence item (submit, return with its reason, resubmit, approve) are the record
-- the national online review and the units rely on: like the issue events they only grow
-- (append_only() is from migration 0003).
CREATE TRIGGER evidence_events_no_update BEFORE UPDATE OR DELETE ON evidence_events FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER evidence_events_no_truncate BEFORE TRUNCATE ON evidence_events FOR EACH STATEMENT EXECUTE FUNCTION append_only();
