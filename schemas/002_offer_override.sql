-- 002_offer_override.sql — an offer made outside the cascade carries why:
-- a tier override (the person's choice, clinical reasons), a spot purchase
-- or an out-of-locality placement. The call-off copies it when accepted.
ALTER TABLE offer ADD COLUMN override_kind TEXT
	CHECK (override_kind IS NULL OR override_kind = 'person_choice' OR override_kind = 'clinical'
	       OR override_kind = 'out_of_locality' OR override_kind = 'spot');
ALTER TABLE offer ADD COLUMN override_reason TEXT
	CHECK (override_reason IS NULL OR length(override_reason) > 0);
ALTER TABLE offer ADD COLUMN continuity INTEGER NOT NULL DEFAULT 0 CHECK (continuity = 0 OR continuity = 1);
ALTER TABLE calloff ADD COLUMN continuity INTEGER NOT NULL DEFAULT 0 CHECK (continuity = 0 OR continuity = 1);
CREATE INDEX calloff_by_lot ON calloff(provider_id, service, locality, created_at);
CREATE INDEX calloff_by_person_service ON calloff(request_id, service, status);
