/* calloff_pauses.c — the rows of calloff_pause (calloff_pauses.h). */
#include "calloff_pauses.h"

#include <string.h>

#include "broker_internal.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

enum br_status calloff_pauses_add(struct session *s, int64_t calloff_id, const struct calloff_pause_new *p, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "INSERT INTO calloff_pause(calloff_id, reason, from_date, retain, retain_until, "
					 "retain_pct, released_on, paused_by, paused_at, begun) "
					 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	store_bind_text(q, 2, p->reason);
	store_bind_text(q, 3, p->from);
	sqlite3_bind_int(q, 4, p->retain);
	store_bind_text(q, 5, p->retain_until);
	sqlite3_bind_int(q, 6, p->retain_pct);
	store_bind_text(q, 7, p->released_on);
	store_bind_text(q, 8, s->user.login);
	store_bind_text(q, 9, now);
	sqlite3_bind_int(q, 10, p->begun);
	return store_step_done(s->store, q, "recording the pause", why);
}

enum br_status calloff_pauses_begin(struct session *s, int64_t calloff_id, char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff_pause SET begun = 1, released_on = CASE retain WHEN 0 THEN "
					 "from_date END WHERE calloff_id = ?1 AND begun = 0 AND cancelled_on IS NULL", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	return store_step_done(s->store, q, "beginning the pause", why);
}

enum br_status calloff_pauses_unpause(struct session *s, int64_t calloff_id, const char *today, char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff_pause SET cancelled_on = ?2, resumed_by = ?3 WHERE calloff_id = ?1 "
					 "AND begun = 0 AND cancelled_on IS NULL", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	store_bind_text(q, 2, today);
	store_bind_text(q, 3, s->user.login);
	return store_step_done(s->store, q, "calling off the pause", why);
}

enum br_status calloff_pauses_call_off(struct session *s, int64_t calloff_id, const char *today, char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff_pause SET cancelled_on = ?2 WHERE calloff_id = ?1 AND begun = 0 "
					 "AND cancelled_on IS NULL", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	store_bind_text(q, 2, today);
	return store_step_done(s->store, q, "calling off the pause", why);
}

enum br_status calloff_pauses_release(struct session *s, int64_t calloff_id, const char *today, char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff_pause SET released_on = ?2, retainer_lapsed = 1 WHERE calloff_id = ?1 "
					 "AND resumed_on IS NULL AND released_on IS NULL AND begun = 1 AND cancelled_on IS NULL",
			       why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	store_bind_text(q, 2, today);
	return store_step_done(s->store, q, "releasing the retainer", why);
}

enum br_status calloff_pauses_resume(struct session *s, int64_t calloff_id, const char *on, char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff_pause SET resumed_on = ?2, resumed_by = ?3 WHERE calloff_id = ?1 "
					 "AND resumed_on IS NULL AND begun = 1 AND cancelled_on IS NULL", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	store_bind_text(q, 2, on);
	store_bind_text(q, 3, s->user.login);
	return store_step_done(s->store, q, "recording the resume", why);
}

enum br_status calloff_pauses_begun_from(struct session *s, int64_t calloff_id, char out[11], char released[11],
					 char **why)
{
	out[0] = released[0] = '\0';
	sqlite3_stmt *q = prep(s->store, "SELECT from_date, coalesce(released_on, '') FROM calloff_pause WHERE calloff_id = ?1 "
					 "AND resumed_on IS NULL AND begun = 1 AND cancelled_on IS NULL ORDER BY id DESC LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		store_col_text(q, 0, out, 11);
		store_col_text(q, 1, released, 11);
	}
	store_done(q);
	return BR_OK;
}

enum br_status calloff_pauses_lapsed(struct session *s, int *n, char **why)
{
	*n = 0;
	sqlite3_stmt *q = prep(s->store, "SELECT count(DISTINCT c.id) FROM calloff c JOIN calloff_pause p ON "
					 "p.calloff_id = c.id AND p.retainer_lapsed = 1 AND p.resumed_on IS NULL "
					 "WHERE c.status = 'paused_released'", why);
	if (!q)
		return BR_INTERNAL;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(q, 0);
	store_done(q);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "counting lapsed retainers", why);
}

enum br_status calloff_pauses_each(struct session *s, int64_t calloff_id, calloff_pause_fn fn, void *ctx, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT from_date, reason, retain, coalesce(retain_until,''), retain_pct, coalesce(released_on,''), "
		"retainer_lapsed, coalesce(resumed_on,''), paused_by, coalesce(resumed_by,''), begun, "
		"coalesce(cancelled_on,'') FROM calloff_pause WHERE calloff_id = ?1 ORDER BY id", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	enum br_status st = BR_OK;
	while (st == BR_OK && sqlite3_step(q) == SQLITE_ROW) {
		struct calloff_pause_row p;
		memset(&p, 0, sizeof p);
		store_col_text(q, 0, p.from, sizeof p.from);
		store_col_text(q, 1, p.reason, sizeof p.reason);
		p.retain = sqlite3_column_int(q, 2) != 0;
		store_col_text(q, 3, p.retain_until, sizeof p.retain_until);
		p.retain_pct = sqlite3_column_int(q, 4);
		store_col_text(q, 5, p.released_on, sizeof p.released_on);
		p.retainer_lapsed = sqlite3_column_int(q, 6) != 0;
		store_col_text(q, 7, p.resumed_on, sizeof p.resumed_on);
		store_col_text(q, 8, p.paused_by, sizeof p.paused_by);
		store_col_text(q, 9, p.resumed_by, sizeof p.resumed_by);
		p.begun = sqlite3_column_int(q, 10) != 0;
		p.called_off = sqlite3_column_bytes(q, 11) > 0;
		st = fn(ctx, &p, why);
	}
	store_done(q);
	return st;
}
