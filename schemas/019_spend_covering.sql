-- 019_spend_covering.sql — the spend report's index covers what it reads
-- (issue 21: make bench on 2026-12-07, report spend 927 ms against a bare
-- 102 ms). Section 117 and funded nursing care (013) were read from each
-- active call-off's row, one table look-up each (150,000 at 10xLCR): the
-- index now holds them too.
DROP INDEX IF EXISTS calloff_active_cost;
CREATE INDEX calloff_active_cost ON calloff(provider_id, service, locality, tier, asc_pct,
                                           weekly_cost_pence, units, start_date, s117, fnc)
	WHERE status = 'active';
