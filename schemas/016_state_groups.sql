-- 016_state_groups.sql — the respite nights' partial index written in the
-- words the program now makes from its table of call-off states
-- (core/records/calloff_states.h, CALLOFF_SQL_NIGHT("status")): the same
-- states as 004's, listed in the table's order, so a query that names the
-- group by that fragment can use the index. A test holds the two together.
DROP INDEX IF EXISTS calloff_respite_nights;
CREATE INDEX calloff_respite_nights ON calloff(provider_id, locality, end_date, start_date)
	WHERE service = 'RSP' AND (status = '' OR status = 'awaiting_approval' OR status = 'approved' OR status = 'active' OR status = 'ended');
