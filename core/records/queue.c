#include "queue.h"

#include <stdio.h>
#include <string.h>

#include "session.h"
#include "store_internal.h"
#include "util.h"

static enum br_status one_int(struct store *st, const char *sql, const char *a, const char *b,
			      int *out, char **why)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(st), sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(st, rc, "reading the work queue", why);
	if (a)
		store_bind_text(q, 1, a);
	if (b)
		store_bind_text(q, 2, b);
	rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, rc, "reading the work queue", why);
	return BR_OK;
}

enum br_status queue_counts(struct session *s, struct queue_counts *c, char **why)
{
	memset(c, 0, sizeof *c);
	struct store *st = s->store;
	char now[21], since[21];
	clock_stamp(clock_now(), now);
	/* "overnight": from 18:00 UTC the day before */
	clock_stamp((time_t)((clock_today() - 1) * 86400 + 18 * 3600), since);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(st),
		"SELECT count(*), sum(urgency = 'emergency'), sum(urgency = 'urgent'), "
		"sum(urgency = 'routine'), sum(handback), min(opened_at) "
		"FROM package_request WHERE status = 'open'", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(st, rc, "reading the work queue", why);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		c->open = sqlite3_column_int(q, 0);
		c->emergency = sqlite3_column_int(q, 1);
		c->urgent = sqlite3_column_int(q, 2);
		c->routine = sqlite3_column_int(q, 3);
		c->handbacks = sqlite3_column_int(q, 4);
		const char *oldest = (const char *)sqlite3_column_text(q, 5);
		time_t t;
		if (oldest && clock_parse(oldest, &t, NULL) == BR_OK)
			c->oldest_days = (int)((clock_now() - t) / 86400);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return store_error(st, rc, "reading the work queue", why);
	enum br_status r;
	if ((r = one_int(st, "SELECT count(*) FROM offer WHERE status = 'pending' AND offered_by = ?1",
			 s->user.login, NULL, &c->my_offers, why)) ||
	    (r = one_int(st, "SELECT count(*) FROM offer WHERE status = 'pending'", NULL, NULL,
			 &c->offers_pending, why)) ||
	    (r = one_int(st, "SELECT count(*) FROM approval WHERE status = 'pending'", NULL, NULL,
			 &c->approvals_waiting, why)) ||
	    (r = one_int(st, "SELECT count(*) FROM calloff WHERE tier = 'emergency' AND created_at >= ?1 "
			     "AND created_at <= ?2", since, now, &c->overnight, why)) ||
	    (r = one_int(st, "SELECT count(*) FROM package_request WHERE status = 'open' AND assigned_to = ?1",
			 s->user.login, NULL, &c->mine, why)) ||
	    (r = one_int(st, "SELECT count(DISTINCT c.id) FROM calloff c JOIN calloff_pause p ON p.calloff_id = c.id "
			     "AND p.retainer_lapsed = 1 AND p.resumed_on IS NULL WHERE c.status = 'paused_released'",
			 NULL, NULL, &c->retainers_lapsed, why)))
		return r;
	return BR_OK;
}

#define PERSON_COLS                                                                            \
	"su.id, su.ref, su.family_name || ', ' || su.given_name, su.restricted"

/* The queue's order: hand-backs first, then by urgency, then the longest
 * waiting. The same expression, word for word, is the index
 * request_queue in schemas/012_queue_order.sql (a test checks the queue
 * is read through it, with no sort). */
#define QUEUE_KEY                                                                              \
	"(CASE WHEN r.handback THEN '0' ELSE '1' END || CASE r.urgency WHEN 'emergency' THEN '0' "  \
	"WHEN 'urgent' THEN '1' ELSE '2' END || r.opened_at)"

/* an open request on Home's lists: who, what, the offer out, the key */
#define REQUEST_QUEUE_COLS                                                                     \
	"r.id AS qid, r.id, " PERSON_COLS ", r.service, r.units, r.locality, r.urgency, "          \
	"r.opened_at, r.handback, "                                                             \
	"coalesce((SELECT p.name FROM offer o JOIN provider p ON p.id = o.provider_id "          \
	"  WHERE o.request_id = r.id AND o.status = 'pending' ORDER BY o.id DESC LIMIT 1), ''), " \
	"coalesce((SELECT 'offer out, ' || o.tier FROM offer o WHERE o.request_id = r.id "      \
	"  AND o.status = 'pending' ORDER BY o.id DESC LIMIT 1), ''), 0, 0, "                  \
	QUEUE_KEY " AS k, coalesce(r.assigned_to, '')"

static const char *const queue_sql[QUEUE_KINDS][1] = {
	[QUEUE_REQUESTS] = {
		/* read in queue order straight from request_queue (schema 012),
		 * so a page costs its own rows, not every open request sorted */
		"SELECT " REQUEST_QUEUE_COLS " FROM package_request r INDEXED BY request_queue "
		"JOIN service_user su ON su.id = r.user_id WHERE r.status = 'open'"},
	[QUEUE_MY_OFFERS] = {
		"SELECT o.id AS qid, r.id, " PERSON_COLS ", r.service, r.units, r.locality, r.urgency, "
		"r.opened_at, r.handback, p.name, o.tier, 0, 0, "
		"o.expires_at AS k, '', o.offered_at, o.expires_at "
		"FROM offer o JOIN package_request r ON r.id = o.request_id "
		"JOIN service_user su ON su.id = r.user_id JOIN provider p ON p.id = o.provider_id "
		"WHERE o.status = 'pending' AND o.offered_by = ?1"},
	[QUEUE_APPROVALS] = {
		"SELECT a.id AS qid, r.id, " PERSON_COLS ", r.service, c.units, c.locality, r.urgency, "
		"a.requested_at, r.handback, p.name, "
		"coalesce((SELECT group_concat(rule, ', ') FROM approval_rule WHERE approval_id = a.id), ''), "
		"c.weekly_cost_pence, c.id, a.requested_at AS k, '' "
		"FROM approval a JOIN calloff c ON c.id = a.calloff_id "
		"JOIN package_request r ON r.id = c.request_id JOIN service_user su ON su.id = r.user_id "
		"JOIN provider p ON p.id = c.provider_id WHERE a.status = 'pending'"},
	[QUEUE_MINE] = {
		"SELECT " REQUEST_QUEUE_COLS " FROM package_request r JOIN service_user su ON su.id = r.user_id "
		"WHERE r.status = 'open' AND r.assigned_to = ?1"},
};

enum br_status queue_list(struct session *s, enum queue_kind kind, const struct list_cursor *at,
			  enum list_dir dir, struct queue_row *rows, int limit, int *n, char **why)
{
	*n = 0;
	if ((unsigned)kind >= QUEUE_KINDS)
		return br_fail(why, BR_USAGE, "no such queue");
	bool cursor = at && at->set, backward = dir == LIST_BACKWARD;
	char sql[2048];
	/* the sort key is an alias: wrap so it can be compared */
	snprintf(sql, sizeof sql, "SELECT * FROM (%s) WHERE 1%s ORDER BY k%s, qid%s LIMIT ?4",
		 queue_sql[kind][0],
		 cursor ? (backward ? " AND (k, qid) < (?2, ?3)" : " AND (k, qid) > (?2, ?3)") : "",
		 backward ? " DESC" : "", backward ? " DESC" : "");
	int slot = STMT_QUEUE_BASE + kind * 4 + cursor * 2 + backward;
	sqlite3_stmt *q = store_stmt(s->store, slot, sql, why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, s->user.login);
	if (cursor) {
		store_bind_text(q, 2, at->k1);
		sqlite3_bind_int64(q, 3, at->id);
	}
	sqlite3_bind_int(q, 4, limit);
	int rc, count = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && count < limit) {
		struct queue_row *r = &rows[count++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(q, 0);
		r->request_id = sqlite3_column_int64(q, 1);
		r->person_id = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, r->ref, sizeof r->ref);
		store_col_text(q, 4, r->person, sizeof r->person);
		r->restricted = sqlite3_column_int(q, 5) != 0;
		store_col_text(q, 6, r->service, sizeof r->service);
		r->units = sqlite3_column_int64(q, 7);
		store_col_text(q, 8, r->locality, sizeof r->locality);
		store_col_text(q, 9, r->urgency, sizeof r->urgency);
		const char *opened = (const char *)sqlite3_column_text(q, 10);
		time_t t;
		if (opened && clock_parse(opened, &t, NULL) == BR_OK)
			r->days_waiting = (int)((clock_now() - t) / 86400);
		r->handback = sqlite3_column_int(q, 11) != 0;
		store_col_text(q, 12, r->provider, sizeof r->provider);
		store_col_text(q, 13, r->detail, sizeof r->detail);
		r->weekly_cost = sqlite3_column_int64(q, 14);
		r->calloff_id = sqlite3_column_int64(q, 15);
		r->key.set = true;
		store_col_text(q, 16, r->key.k1, sizeof r->key.k1);
		r->key.id = r->id;
		store_col_text(q, 17, r->assigned_to, sizeof r->assigned_to);
		if (kind == QUEUE_MY_OFFERS) {
			store_col_text(q, 18, r->sent_at, sizeof r->sent_at);
			store_col_text(q, 19, r->due_at, sizeof r->due_at);
		}
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s->store, rc, "reading the work queue", why);
	if (backward)
		for (int i = 0, j = count - 1; i < j; i++, j--) {
			struct queue_row tmp = rows[i];
			rows[i] = rows[j];
			rows[j] = tmp;
		}
	*n = count;
	return BR_OK;
}
