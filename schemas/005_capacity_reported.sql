-- 005_capacity_reported.sql — every capacity figure carries the day it was
-- reported (capacity set, an import). Taking and returning capacity when a
-- package is placed or handed back moves capacity.updated_at, not this day,
-- so a figure nobody has reported for weeks can be seen to be stale.
-- A table beside capacity rather than a column on it, so every existing
-- writer of capacity is unchanged; a new figure is reported the day it is
-- written unless the writer says otherwise.
CREATE TABLE capacity_report (
	provider_id INTEGER NOT NULL,
	service     TEXT NOT NULL,
	locality    TEXT NOT NULL,
	reported_on TEXT NOT NULL CHECK (reported_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	PRIMARY KEY (provider_id, service, locality),
	FOREIGN KEY (provider_id, service, locality)
		REFERENCES capacity(provider_id, service, locality) ON DELETE CASCADE
) WITHOUT ROWID;

INSERT INTO capacity_report
	SELECT provider_id, service, locality, substr(updated_at, 1, 10) FROM capacity
	WHERE substr(updated_at, 1, 10) GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]';

CREATE TRIGGER capacity_reported AFTER INSERT ON capacity
WHEN substr(NEW.updated_at, 1, 10) GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
BEGIN
	INSERT OR IGNORE INTO capacity_report
		VALUES (NEW.provider_id, NEW.service, NEW.locality, substr(NEW.updated_at, 1, 10));
END;
