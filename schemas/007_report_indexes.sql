-- 007_report_indexes.sql — the reports (issue 13) read placements, answers
-- to offers and approvals by when they happened; these indexes let a
-- report over a date range read only that range, and the two on call-offs
-- hold every column the reports read, so a report never visits the table.
CREATE INDEX calloff_by_created ON calloff(created_at, status, tier, service, locality, provider_id,
                                           override_kind, request_id);
-- Active call-offs, ordered by provider, with their cost and split.
CREATE INDEX calloff_active_cost ON calloff(provider_id, service, locality, tier, asc_pct,
                                           weekly_cost_pence, units, start_date)
	WHERE status = 'active';
CREATE INDEX calloff_handed_back ON calloff(handback_notice) WHERE handback_reason IS NOT NULL;
CREATE INDEX offer_answered ON offer(responded_at) WHERE status = 'declined' OR status = 'expired';
CREATE INDEX approval_by_requested ON approval(requested_at);
