-- 007_report_indexes.sql — the reports (issue 13) read placements, answers
-- to offers and approvals by when they happened; these indexes let a
-- report over a date range read only that range.
CREATE INDEX calloff_by_created ON calloff(created_at);
CREATE INDEX calloff_handed_back ON calloff(handback_reason) WHERE handback_reason IS NOT NULL;
CREATE INDEX offer_answered ON offer(responded_at) WHERE status = 'declined' OR status = 'expired';
CREATE INDEX approval_by_requested ON approval(requested_at);
