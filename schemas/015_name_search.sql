-- 015_name_search.sql — a name matches the family name or the given name
-- (issue 14). The given-name half of the search reads su_by_given, sorts
-- only the keys and keeps the first page: with the filters the lists use
-- (status, locality, primary need) in the index, a one-letter search over
-- a real register's names never visits the table for the thousands of
-- people whose given name starts with that letter.
DROP INDEX IF EXISTS su_by_given;
CREATE INDEX su_by_given ON service_user(given_fold, family_fold, id, status, locality, primary_need);
