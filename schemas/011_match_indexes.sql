-- 011_match_indexes.sql — the match (issue 14) reads, for one request, every
-- candidate's coverage, capacity, rate and capacity report. Looked up by
-- provider first, those rows lie on a different page for every provider and
-- the session's small page cache (2 MB, for the 8 MB a session) thrashes.
-- Ordered by the lot first, one request's rows lie together and each index
-- holds the column read, so the table is never visited.
DROP INDEX IF EXISTS capacity_by_lot;
CREATE INDEX capacity_by_lot ON capacity(service, locality, provider_id, free);
CREATE INDEX capacity_report_by_lot ON capacity_report(service, locality, provider_id, reported_on);
CREATE INDEX rate_by_service ON rate(service, provider_id, valid_from, pence);
