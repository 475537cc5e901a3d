-- The history of indicator nodes and the progress reports of tasks are records of what was done:
-- like the audit log and the issue events they only grow (append_only() is from migration 0003).
CREATE TRIGGER indicator_node_history_no_update BEFORE UPDATE OR DELETE ON indicator_node_history FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER indicator_node_history_no_truncate BEFORE TRUNCATE ON indicator_node_history FOR EACH STATEMENT EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER task_progress_reports_no_update BEFORE UPDATE OR DELETE ON task_progress_reports FOR EACH ROW EXECUTE FUNCTION append_only();
--> statement-breakpoint
CREATE TRIGGER task_progress_reports_no_truncate BEFORE TRUNCATE ON task_progress_reports FOR EACH STATEMENT EXECUTE FUNCTION append_only();
