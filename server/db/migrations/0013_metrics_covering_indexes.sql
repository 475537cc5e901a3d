DROP INDEX "issues_deadline_idx";--> statement-breakpoint
DROP INDEX "issues_closed_at_idx";--> statement-breakpoint
-- The metrics' 应结案 set of a period (domain/issue-metrics.ts) is two disjoint ranges: issues closed
-- in it (closed_at) and dispatched issues due in it and not closed by its start (deadline). Both
-- indexes carry every column the aggregate reads, so metrics.repo.ts unitMetrics runs as two
-- index-only range scans, never touching the 2,000,000-row heap. (Declared here, not in
-- issues.tables.ts: drizzle cannot express INCLUDE.)
CREATE INDEX "issues_metrics_closed_idx" ON "issues" ("closed_at")
  INCLUDE ("deadline", "dispatched_at", "rework_count", "relapse_count", "responsible_unit_id", "area_unit_id", "category_id", "source")
  WHERE "closed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "issues_metrics_deadline_idx" ON "issues" ("deadline")
  INCLUDE ("closed_at", "dispatched_at", "rework_count", "relapse_count", "responsible_unit_id", "area_unit_id", "category_id", "source")
  WHERE "state" IN ('dispatched', 'rectifying', 'feedback', 'verified', 'closed');
