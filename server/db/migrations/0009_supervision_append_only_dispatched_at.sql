-- The 督办函 event log only grows, like issue_events (append_only() from migration 0003).
CREATE TRIGGER supervision_letter_events_no_update BEFORE UPDATE OR DELETE ON supervision_letter_events FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER supervision_letter_events_no_truncate BEFORE TRUNCATE ON supervision_letter_events FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
-- issues.dispatched_at: when the issue last went to a unit (派遣, re-派遣 after 回退, 回潮). The
-- metrics measure 处置时长 from it to closed_at. Kept by the database so every writer (the case
-- flow, seeds, imports) gets it right; a statement that sets it explicitly (backdated demo or
-- benchmark data) keeps its value.
CREATE OR REPLACE FUNCTION issues_set_dispatched_at() RETURNS trigger AS $$
BEGIN
  IF NEW.state = 'dispatched' AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM 'dispatched') THEN
    IF TG_OP = 'INSERT' THEN
      IF NEW.dispatched_at IS NULL THEN NEW.dispatched_at := now(); END IF;
    ELSIF NEW.dispatched_at IS NOT DISTINCT FROM OLD.dispatched_at THEN
      NEW.dispatched_at := now();
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER issues_dispatched_at BEFORE INSERT OR UPDATE OF state ON issues FOR EACH ROW EXECUTE FUNCTION issues_set_dispatched_at();
--> statement-breakpoint
-- existing issues: the time of their last move into 已派遣, from the event log
UPDATE issues i SET dispatched_at = e.at
FROM (SELECT issue_id, max(at) AS at FROM issue_events WHERE to_state = 'dispatched' GROUP BY issue_id) e
WHERE e.issue_id = i.id AND i.dispatched_at IS NULL;
