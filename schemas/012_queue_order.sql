-- 012_queue_order.sql — Home's work queue in its own order (issue 14): hand-
-- backs first, then emergency, urgent, routine, then the longest waiting.
-- The expression is QUEUE_KEY in core/queue.c, word for word: with it a
-- page of the queue reads its own rows in order instead of every open
-- request joined, looked up and sorted, which a cold start paid in full.
CREATE INDEX request_queue ON package_request((CASE WHEN handback THEN '0' ELSE '1' END || CASE urgency WHEN 'emergency' THEN '0' WHEN 'urgent' THEN '1' ELSE '2' END || opened_at), id)
	WHERE status = 'open';
