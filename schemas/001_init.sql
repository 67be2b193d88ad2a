-- 001_init.sql — the brokerage domain (DESIGN.md §2).
-- Released: never edit this file; add 002_*.sql instead.
-- Enumerations are checked with OR chains, not IN lists: SQLite builds a
-- temporary table for an IN list on every insert.
-- Money is integer pence, dates are ISO 8601 'YYYY-MM-DD', timestamps are UTC
-- 'YYYY-MM-DDTHH:MM:SSZ'. Every enumerated column has a CHECK.

CREATE TABLE locality (
	code  TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 8 AND code = upper(code)),
	name  TEXT NOT NULL CHECK (length(name) > 0),
	sort  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE need (
	code  TEXT PRIMARY KEY CHECK ((code = 'LD' OR code = 'AUT' OR code = 'MH' OR code = 'ABI' OR code = 'PD' OR code = 'DD')),
	name  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE service (
	code  TEXT PRIMARY KEY CHECK ((code = 'HC' OR code = 'SL' OR code = 'RES' OR code = 'SHL' OR code = 'DAY' OR code = 'RSP' OR code = 'REH' OR code = 'PBS' OR code = 'ISP' OR code = 'EMP')),
	name  TEXT NOT NULL,
	unit  TEXT NOT NULL CHECK ((unit = 'hours/week' OR unit = 'placement' OR unit = 'sessions/week' OR unit = 'nights' OR unit = 'hours'))
) WITHOUT ROWID;

CREATE TABLE provider (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL CHECK (length(name) > 0),
	name_fold        TEXT NOT NULL,
	cqc_location_id  TEXT UNIQUE CHECK (cqc_location_id IS NULL OR cqc_location_id GLOB '1-[0-9]*'),
	cqc_rating       TEXT NOT NULL DEFAULT 'Not yet rated'
	                 CHECK ((cqc_rating = 'Outstanding' OR cqc_rating = 'Good' OR cqc_rating = 'Requires improvement' OR cqc_rating = 'Inadequate' OR cqc_rating = 'Not yet rated')),
	status           TEXT NOT NULL DEFAULT 'active' CHECK ((status = 'active' OR status = 'suspended' OR status = 'left')),
	suspended_reason TEXT,
	suspended_on     TEXT,
	left_on          TEXT,
	is_consortium    INTEGER NOT NULL DEFAULT 0 CHECK ((is_consortium = 0 OR is_consortium = 1)),
	consortium_id    INTEGER REFERENCES provider(id),
	phone            TEXT,
	email            TEXT,
	contact          TEXT,
	postcode         TEXT,
	CHECK ((status = 'suspended') = (suspended_reason IS NOT NULL AND length(suspended_reason) > 0
	                                 AND suspended_on IS NOT NULL)),
	CHECK ((status = 'left') = (left_on IS NOT NULL)),
	CHECK (consortium_id IS NULL OR consortium_id <> id)
);
CREATE INDEX provider_by_name ON provider(name_fold, id);
CREATE INDEX provider_by_consortium ON provider(consortium_id) WHERE consortium_id IS NOT NULL;

-- A provider is registered on a lot for a needs group.
CREATE TABLE registration (
	provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
	service     TEXT NOT NULL REFERENCES service(code),
	need        TEXT NOT NULL REFERENCES need(code),
	PRIMARY KEY (provider_id, service, need)
) WITHOUT ROWID;
CREATE INDEX registration_by_lot ON registration(service, need, provider_id);

-- The localities a provider covers.
CREATE TABLE coverage (
	provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
	locality    TEXT NOT NULL REFERENCES locality(code),
	PRIMARY KEY (provider_id, locality)
) WITHOUT ROWID;
CREATE INDEX coverage_by_locality ON coverage(locality, provider_id);

-- A provider's rate per unit of a service, from the day it takes effect.
CREATE TABLE rate (
	provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
	service     TEXT NOT NULL REFERENCES service(code),
	valid_from  TEXT NOT NULL CHECK (valid_from GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	pence       INTEGER NOT NULL CHECK (pence > 0),
	PRIMARY KEY (provider_id, service, valid_from)
) WITHOUT ROWID;

-- Free capacity: hours/week, sessions, places or beds, per service and locality.
CREATE TABLE capacity (
	provider_id INTEGER NOT NULL REFERENCES provider(id) ON DELETE CASCADE,
	service     TEXT NOT NULL REFERENCES service(code),
	locality    TEXT NOT NULL REFERENCES locality(code),
	free        INTEGER NOT NULL CHECK (free >= 0),
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (provider_id, service, locality)
) WITHOUT ROWID;
CREATE INDEX capacity_by_lot ON capacity(service, locality, provider_id);

-- Framework awards: primary and secondary name one locality, peripheral the
-- whole borough (locality NULL).
CREATE TABLE award (
	id          INTEGER PRIMARY KEY,
	service     TEXT NOT NULL REFERENCES service(code),
	locality    TEXT REFERENCES locality(code),
	provider_id INTEGER NOT NULL REFERENCES provider(id),
	tier        TEXT NOT NULL CHECK ((tier = 'primary' OR tier = 'secondary' OR tier = 'peripheral')),
	valid_from  TEXT NOT NULL,
	valid_to    TEXT,
	CHECK ((tier = 'peripheral') = (locality IS NULL)),
	CHECK (valid_to IS NULL OR valid_to >= valid_from),
	UNIQUE (service, locality, provider_id, tier, valid_from)
);
CREATE INDEX award_by_lot ON award(service, locality, tier);
CREATE INDEX award_by_provider ON award(provider_id, service);

CREATE TABLE service_user (
	id             INTEGER PRIMARY KEY,
	ref            TEXT NOT NULL UNIQUE CHECK (length(ref) BETWEEN 1 AND 16),
	nhs_number     TEXT UNIQUE CHECK (nhs_number IS NULL OR
	                                  (length(nhs_number) = 10 AND nhs_number GLOB '[0-9]*'
	                                   AND nhs_number NOT GLOB '*[^0-9]*')),
	family_name    TEXT NOT NULL CHECK (length(family_name) > 0),
	given_name     TEXT NOT NULL CHECK (length(given_name) > 0),
	family_fold    TEXT NOT NULL,
	given_fold     TEXT NOT NULL,
	date_of_birth  TEXT NOT NULL CHECK (date_of_birth GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
	postcode       TEXT NOT NULL DEFAULT '',
	postcode_key   TEXT NOT NULL DEFAULT '',       -- upper case, no spaces, for prefix search
	locality       TEXT NOT NULL REFERENCES locality(code),
	primary_need   TEXT NOT NULL REFERENCES need(code),
	forensic       INTEGER NOT NULL DEFAULT 0 CHECK ((forensic = 0 OR forensic = 1)),
	restricted     INTEGER NOT NULL DEFAULT 0 CHECK ((restricted = 0 OR restricted = 1)),
	direct_payment INTEGER NOT NULL DEFAULT 0 CHECK ((direct_payment = 0 OR direct_payment = 1)),
	funding        TEXT NOT NULL DEFAULT 'ASC' CHECK ((funding = 'ASC' OR funding = 'CHC' OR funding = 'JOINT')),
	status         TEXT NOT NULL DEFAULT 'active' CHECK ((status = 'active' OR status = 'closed' OR status = 'deceased')),
	phone          TEXT,
	created_at     TEXT NOT NULL,
	CHECK (forensic = 0 OR primary_need = 'MH' OR primary_need = 'DD')
);
CREATE INDEX su_by_family ON service_user(family_fold, given_fold, id);
CREATE INDEX su_by_given ON service_user(given_fold, family_fold, id);
CREATE INDEX su_by_postcode ON service_user(postcode_key, family_fold, id);
CREATE INDEX su_by_locality ON service_user(locality, family_fold, given_fold, id);
CREATE INDEX su_by_need ON service_user(primary_need, family_fold, given_fold, id);

-- Needs other than the primary one.
CREATE TABLE service_user_need (
	user_id INTEGER NOT NULL REFERENCES service_user(id) ON DELETE CASCADE,
	need    TEXT NOT NULL REFERENCES need(code),
	PRIMARY KEY (user_id, need)
) WITHOUT ROWID;
CREATE INDEX sun_by_need ON service_user_need(need, user_id);

CREATE TRIGGER sun_not_primary BEFORE INSERT ON service_user_need
WHEN NEW.need = (SELECT primary_need FROM service_user WHERE id = NEW.user_id)
BEGIN
	SELECT RAISE(ABORT, 'other need repeats the primary need');
END;

CREATE TABLE users (
	login          TEXT PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 32),
	name           TEXT NOT NULL,
	role           TEXT NOT NULL CHECK ((role = 'officer' OR role = 'supervisor' OR role = 'oncall' OR role = 'admin' OR role = 'viewer')),
	approval_limit INTEGER CHECK (approval_limit IS NULL OR approval_limit >= 0), -- annual pence
	disabled       INTEGER NOT NULL DEFAULT 0 CHECK ((disabled = 0 OR disabled = 1)),
	created_at     TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE package_request (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES service_user(id),
	service      TEXT NOT NULL REFERENCES service(code),
	locality     TEXT NOT NULL REFERENCES locality(code),   -- where the care is delivered
	units        INTEGER NOT NULL CHECK (units > 0),
	start_date   TEXT NOT NULL,
	urgency      TEXT NOT NULL CHECK ((urgency = 'routine' OR urgency = 'urgent' OR urgency = 'emergency')),
	funding      TEXT NOT NULL CHECK ((funding = 'ASC' OR funding = 'CHC' OR funding = 'JOINT')),
	asc_pct      INTEGER NOT NULL CHECK (asc_pct BETWEEN 0 AND 100),   -- CHC share is 100 - asc_pct
	notes        TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL DEFAULT 'open' CHECK ((status = 'open' OR status = 'placed' OR status = 'cancelled')),
	handback     INTEGER NOT NULL DEFAULT 0 CHECK ((handback = 0 OR handback = 1)),
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL REFERENCES users(login),
	opened_at    TEXT NOT NULL,          -- when it (re)entered the queue
	closed_at    TEXT,
	cancel_reason TEXT,
	CHECK ((funding = 'ASC' AND asc_pct = 100) OR (funding = 'CHC' AND asc_pct = 0) OR
	       (funding = 'JOINT' AND asc_pct BETWEEN 1 AND 99)),
	CHECK (status <> 'cancelled' OR length(cancel_reason) > 0),
	CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX request_open ON package_request(status, urgency, opened_at) WHERE status = 'open';
CREATE INDEX request_by_user ON package_request(user_id, id);

CREATE TABLE offer (
	id            INTEGER PRIMARY KEY,
	request_id    INTEGER NOT NULL REFERENCES package_request(id),
	provider_id   INTEGER NOT NULL REFERENCES provider(id),
	tier          TEXT NOT NULL CHECK ((tier = 'primary' OR tier = 'secondary' OR tier = 'peripheral' OR tier = 'registered' OR tier = 'spot' OR tier = 'continuity')),
	status        TEXT NOT NULL DEFAULT 'pending'
	              CHECK ((status = 'pending' OR status = 'accepted' OR status = 'declined' OR status = 'expired' OR status = 'withdrawn')),
	offered_at    TEXT NOT NULL,
	offered_by    TEXT NOT NULL REFERENCES users(login),
	expires_at    TEXT NOT NULL,
	responded_at  TEXT,
	decline_reason TEXT CHECK (decline_reason IS NULL OR
	                           (decline_reason = 'no_capacity' OR decline_reason = 'no_staff' OR decline_reason = 'cannot_meet_need' OR decline_reason = 'price' OR decline_reason = 'other')),
	note          TEXT NOT NULL DEFAULT '',
	CHECK ((status = 'declined') = (decline_reason IS NOT NULL)),
	CHECK (decline_reason IS NOT 'other' OR length(note) > 0),
	CHECK ((status = 'pending') = (responded_at IS NULL))
);
CREATE INDEX offer_by_request ON offer(request_id, provider_id);
CREATE INDEX offer_pending ON offer(status, expires_at) WHERE status = 'pending';
CREATE INDEX offer_by_provider ON offer(provider_id, status);

CREATE TABLE calloff (
	id               INTEGER PRIMARY KEY,
	request_id       INTEGER NOT NULL REFERENCES package_request(id),
	provider_id      INTEGER NOT NULL REFERENCES provider(id),
	offer_id         INTEGER REFERENCES offer(id),
	tier             TEXT NOT NULL CHECK ((tier = 'primary' OR tier = 'secondary' OR tier = 'peripheral' OR tier = 'registered' OR tier = 'spot' OR tier = 'continuity' OR tier = 'emergency' OR tier = 'legacy')),
	override_kind    TEXT CHECK (override_kind IS NULL OR
	                             (override_kind = 'person_choice' OR override_kind = 'clinical' OR override_kind = 'out_of_locality' OR override_kind = 'spot')),
	override_reason  TEXT,
	service          TEXT NOT NULL REFERENCES service(code),
	locality         TEXT NOT NULL REFERENCES locality(code),
	unit_rate_pence  INTEGER NOT NULL CHECK (unit_rate_pence > 0),
	units            INTEGER NOT NULL CHECK (units > 0),
	weekly_cost_pence INTEGER NOT NULL,
	asc_pct          INTEGER NOT NULL CHECK (asc_pct BETWEEN 0 AND 100),
	start_date       TEXT NOT NULL,
	end_date         TEXT,
	status           TEXT NOT NULL CHECK ((status = 'proposed' OR status = 'awaiting_approval' OR status = 'approved' OR status = 'active' OR status = 'ended' OR status = 'rejected' OR status = 'cancelled')),
	proposed_by      TEXT NOT NULL REFERENCES users(login),
	created_at       TEXT NOT NULL,
	ended_reason     TEXT,
	handback_reason  TEXT CHECK (handback_reason IS NULL OR
	                             (handback_reason = 'no_staff' OR handback_reason = 'cannot_meet_need' OR handback_reason = 'safeguarding' OR handback_reason = 'provider_exit' OR handback_reason = 'price' OR handback_reason = 'other')),
	handback_notice  TEXT,
	CHECK (weekly_cost_pence = unit_rate_pence * units),
	CHECK (override_kind IS NULL OR length(override_reason) > 0),
	CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX calloff_by_request ON calloff(request_id);
CREATE INDEX calloff_by_provider ON calloff(provider_id, status);
CREATE INDEX calloff_by_status ON calloff(status, start_date);

CREATE TABLE approval (
	id          INTEGER PRIMARY KEY,
	calloff_id  INTEGER NOT NULL REFERENCES calloff(id),
	status      TEXT NOT NULL DEFAULT 'pending' CHECK ((status = 'pending' OR status = 'approved' OR status = 'rejected')),
	annual_cost_pence INTEGER NOT NULL CHECK (annual_cost_pence >= 0),
	requested_at TEXT NOT NULL,
	requested_by TEXT NOT NULL REFERENCES users(login),
	due_date    TEXT,                         -- emergency bookings: next working day
	decided_at  TEXT,
	decided_by  TEXT REFERENCES users(login),
	note        TEXT NOT NULL DEFAULT '',
	CHECK ((status = 'pending') = (decided_at IS NULL)),
	CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX approval_pending ON approval(status, requested_at) WHERE status = 'pending';
CREATE INDEX approval_by_calloff ON approval(calloff_id);

-- Each rule that fired, stored with the approval.
CREATE TABLE approval_rule (
	approval_id INTEGER NOT NULL REFERENCES approval(id),
	rule        TEXT NOT NULL CHECK ((rule = 'weekly_cost' OR rule = 'unit_rate' OR rule = 'spot' OR rule = 'tier_override' OR rule = 'out_of_locality' OR rule = 'residential_under_65' OR rule = 'emergency')),
	detail      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (approval_id, rule)
) WITHOUT ROWID;

-- Append-only, hash-chained. hash = BLAKE2b-256(prev_hash || canonical row).
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	login     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT '',
	prev_hash BLOB NOT NULL,
	hash      BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX audit_by_login ON audit(login, id);
CREATE INDEX audit_by_entity ON audit(entity, entity_id, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit rows are append-only');
END;

-- Facts about this database (demo flag, seed, creation time).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
