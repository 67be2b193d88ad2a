-- 004_calloff_lifecycle.sql — the call-off lifecycle (issue 10).
-- Respite beds are counted a night at a time from every booking that ran or
-- will run on that night: an ended booking (its last night reached, or cut
-- short after tonight when rejected) still held its bed on its nights.
DROP INDEX IF EXISTS calloff_respite_live;
CREATE INDEX calloff_respite_nights ON calloff(provider_id, locality, end_date, start_date)
	WHERE service = 'RSP' AND (status = 'active' OR status = 'approved' OR status = 'awaiting_approval'
	                           OR status = 'ended');
-- Due call-offs by end date (the clock ends them as "system").
CREATE INDEX calloff_ending ON calloff(status, end_date) WHERE end_date IS NOT NULL;
