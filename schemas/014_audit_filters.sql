-- 014_audit_filters.sql — Audit's filters (issue 12, finding 10): each
-- shape of filter is its own statement (core/audit.c audit_filter_sql)
-- and finds its rows through an index, never by reading the trail from
-- the newest row back (at ten times the LCR's size, 2.7 million rows, a
-- filter that matched nothing took seconds). 001 has (login, id) for a
-- login and (entity, entity_id, id) for one record.
-- A day, alone or with a login or an entity: the day's range of stamps.
CREATE INDEX audit_by_at ON audit(at);
-- An entity alone, newest first; an entity and a login, newest first.
CREATE INDEX audit_by_entity_only ON audit(entity, id);
CREATE INDEX audit_by_entity_login ON audit(entity, login, id);
