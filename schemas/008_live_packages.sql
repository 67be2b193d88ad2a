-- 006_live_packages.sql — live packages (issue 16): variations, pauses with
-- a retainer, ends from a date, a person's death, one officer per request.
--
-- Three more call-off states. SQLite cannot alter a CHECK, and rebuilding
-- calloff (which approvals reference) would need foreign keys off, which a
-- migration inside its transaction cannot do; so the CHECK's text gets three
-- more alternatives, exactly as SQLite's ALTER TABLE page describes for a
-- change that leaves every stored row valid (the new CHECK only allows more).
-- RESET reloads the schema for this connection; the CREATE TABLE below bumps
-- the schema cookie so every other connection reloads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'OR status = ''rejected'' OR status = ''cancelled''))',
                     'OR status = ''rejected'' OR status = ''cancelled'' OR status = ''paused'' '
                     || 'OR status = ''paused_released'' OR status = ''varied''))')
 WHERE type = 'table' AND name = 'calloff';
PRAGMA writable_schema = RESET;

-- A variation: the new call-off names the one it replaces (which ends the day
-- before it starts), with the reason for the change.
ALTER TABLE calloff ADD COLUMN varied_from INTEGER REFERENCES calloff(id);
ALTER TABLE calloff ADD COLUMN change_reason TEXT;
CREATE INDEX calloff_varied_from ON calloff(varied_from) WHERE varied_from IS NOT NULL;

-- Pauses (a hospital stay): from a date, with the reason, and whether the
-- provider keeps the capacity on a retainer (until retain_until) or releases
-- it. released_on: the day the capacity went back (at once, or when the
-- retainer ran out: retainer_lapsed = 1, which Home tells the team).
CREATE TABLE calloff_pause (
	id              INTEGER PRIMARY KEY,
	calloff_id      INTEGER NOT NULL REFERENCES calloff(id),
	reason          TEXT NOT NULL CHECK ((reason = 'hospital' OR reason = 'respite_elsewhere' OR reason = 'away'
	                                      OR reason = 'other')),
	from_date       TEXT NOT NULL,
	retain          INTEGER NOT NULL CHECK ((retain = 0 OR retain = 1)),
	retain_until    TEXT,
	retain_pct      INTEGER NOT NULL DEFAULT 0 CHECK (retain_pct BETWEEN 0 AND 100),
	released_on     TEXT,
	retainer_lapsed INTEGER NOT NULL DEFAULT 0 CHECK ((retainer_lapsed = 0 OR retainer_lapsed = 1)),
	resumed_on      TEXT,
	paused_by       TEXT NOT NULL REFERENCES users(login),
	paused_at       TEXT NOT NULL,
	resumed_by      TEXT REFERENCES users(login),
	CHECK (retain = 0 OR retain_until IS NOT NULL),
	CHECK (resumed_on IS NULL OR resumed_on >= from_date)
);
CREATE INDEX calloff_pause_by_calloff ON calloff_pause(calloff_id, id);

-- A person's death, for the record and the screens.
ALTER TABLE service_user ADD COLUMN died_on TEXT;

-- One officer per request: who has it, since when, who gave it to them.
ALTER TABLE package_request ADD COLUMN assigned_to TEXT REFERENCES users(login);
ALTER TABLE package_request ADD COLUMN assigned_at TEXT;
ALTER TABLE package_request ADD COLUMN assigned_by TEXT REFERENCES users(login);
CREATE INDEX request_assigned ON package_request(assigned_to, status) WHERE assigned_to IS NOT NULL;

-- Responses record the officer who took them down.
ALTER TABLE offer ADD COLUMN responded_by TEXT REFERENCES users(login);
