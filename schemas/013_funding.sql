-- 013_funding.sql — funding as councils record it (issue 16): Section 117
-- aftercare and funded nursing care on the person and the call-off; a pause
-- from a future date.
--
-- Section 117 of the Mental Health Act 1983: aftercare is free at the point
-- of use and jointly funded by the council and the NHS. The flag is kept on
-- the person and carried onto every call-off placed for them (the call-off
-- keeps what was true when it was placed).
ALTER TABLE service_user ADD COLUMN s117 INTEGER NOT NULL DEFAULT 0 CHECK ((s117 = 0 OR s117 = 1));
ALTER TABLE calloff ADD COLUMN s117 INTEGER NOT NULL DEFAULT 0 CHECK ((s117 = 0 OR s117 = 1));

-- Funded nursing care: the NHS pays a weekly contribution (the year's rate,
-- config fnc_rates) towards a nursing placement of a person assessed for it.
-- The person carries the assessment; a residential placement (RES) placed
-- for them carries fnc = 1, and its NHS share is worked out from the rate in
-- force on the day, never stored.
ALTER TABLE service_user ADD COLUMN fnc INTEGER NOT NULL DEFAULT 0 CHECK ((fnc = 0 OR fnc = 1));
ALTER TABLE calloff ADD COLUMN fnc INTEGER NOT NULL DEFAULT 0 CHECK ((fnc = 0 OR fnc = 1));

-- A pause from a later date: the row is written when the pause is asked
-- for, with begun = 0; the call-off stays active (and keeps its capacity)
-- until the clock reaches from_date and begins it. A scheduled pause called
-- off before it begins keeps its row with cancelled_on set.
ALTER TABLE calloff_pause ADD COLUMN begun INTEGER NOT NULL DEFAULT 1 CHECK ((begun = 0 OR begun = 1));
ALTER TABLE calloff_pause ADD COLUMN cancelled_on TEXT;
CREATE INDEX calloff_pause_scheduled ON calloff_pause(from_date) WHERE begun = 0 AND cancelled_on IS NULL;
