-- 018_calloff_held.sql — the units a call-off holds at its provider, when
-- they are not the units it delivers (issue 26, finding 1).
--
-- A decrease from a later date: the old call-off runs at the old units until
-- the day before, so the provider's capacity moves on the variation's date,
-- not when it is recorded. Until then the new call-off holds what the old
-- one held (held_units); when it starts it gives back the difference and
-- held_units goes back to NULL. NULL: it holds its units.
ALTER TABLE calloff ADD COLUMN held_units INTEGER CHECK (held_units IS NULL OR held_units >= units);
