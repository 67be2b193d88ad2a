-- 017_capacity_basis.sql — what a capacity figure was measured against, so
-- `brokerage check` can prove capacity against the call-offs (issue 20).
--
-- A provider reports what it has free; from then on each call-off that takes
-- capacity lowers capacity.free by its units and each that gives it back
-- raises it. So at every moment
--     capacity.free + units held by call-offs = basis
-- where basis is the figure reported plus what call-offs held on the day it
-- was reported. Every writer of a report sets basis (records/upkeep.c
-- capacity_rebase); a row with basis NULL (a capacity row made before any
-- report) is not checked. Respite (RSP) counts beds a night at a time and
-- is checked night by night instead.
--
-- The existing rows: the basis that makes today's figures true. The states
-- that hold capacity are the holds column of core/records/calloff_states.h
-- (CALLOFF_SQL_HOLDS("c.status")), in the table's order; a test holds the two
-- together.
ALTER TABLE capacity_report ADD COLUMN basis INTEGER CHECK (basis IS NULL OR basis >= 0);

UPDATE capacity_report SET basis =
	(SELECT k.free FROM capacity k WHERE k.provider_id = capacity_report.provider_id
	   AND k.service = capacity_report.service AND k.locality = capacity_report.locality)
	+ (SELECT coalesce(sum(c.units), 0) FROM calloff c WHERE c.provider_id = capacity_report.provider_id
	   AND c.service = capacity_report.service AND c.locality = capacity_report.locality
	   AND (c.status = '' OR c.status = 'awaiting_approval' OR c.status = 'approved' OR c.status = 'active' OR c.status = 'paused'))
	WHERE service <> 'RSP';

-- the trigger of 005 named no columns; now it must
DROP TRIGGER capacity_reported;
CREATE TRIGGER capacity_reported AFTER INSERT ON capacity
WHEN substr(NEW.updated_at, 1, 10) GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
BEGIN
	INSERT OR IGNORE INTO capacity_report(provider_id, service, locality, reported_on)
		VALUES (NEW.provider_id, NEW.service, NEW.locality, substr(NEW.updated_at, 1, 10));
END;
