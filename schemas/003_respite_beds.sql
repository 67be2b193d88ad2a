-- 003_respite_beds.sql — respite beds are counted a night at a time from the
-- live respite call-offs; this index holds only those, so counting the beds
-- taken tonight never walks a provider's history.
CREATE INDEX calloff_respite_live ON calloff(provider_id, locality, end_date, start_date)
	WHERE service = 'RSP' AND (status = 'active' OR status = 'approved' OR status = 'awaiting_approval');
