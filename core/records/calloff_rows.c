/* calloff_rows.c — a call-off's row and the lifecycle's writes beside it (calloff_rows.h). */
#include "calloff_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "broker_internal.h"
#include "calloff_states.h"
#include "domain.h"
#include "respite_beds.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- reading ----------------------------------------------------------------- */

enum br_status calloff_rows_get(struct session *s, int64_t id, struct calloff_info *c, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT c.id, c.request_id, c.provider_id, p.name, c.tier, coalesce(c.override_kind,''), "
		"coalesce(c.override_reason,''), c.continuity, c.service, c.locality, c.unit_rate_pence, "
		"c.units, c.weekly_cost_pence, c.asc_pct, c.start_date, coalesce(c.end_date,''), c.status, "
		"c.proposed_by, coalesce((SELECT group_concat(r.rule, ',') FROM approval a JOIN approval_rule r "
		"  ON r.approval_id = a.id WHERE a.calloff_id = c.id), ''), coalesce(c.handback_notice,''), "
		"coalesce(c.handback_reason,''), coalesce(c.ended_reason,''), "
		"coalesce((SELECT group_concat(r.detail, '; ') FROM approval a JOIN approval_rule r "
		"  ON r.approval_id = a.id WHERE a.calloff_id = c.id), ''), coalesce(c.varied_from, 0), "
		"coalesce((SELECT n.id FROM calloff n WHERE n.varied_from = c.id ORDER BY n.id DESC LIMIT 1), 0), "
		"coalesce(c.change_reason,''), c.s117, c.fnc, "
		"coalesce((SELECT x.from_date || ' ' || x.retain FROM calloff_pause x WHERE x.calloff_id = c.id "
		"          AND x.begun = 0 AND x.cancelled_on IS NULL ORDER BY x.id DESC LIMIT 1), ''), "
		"coalesce(c.held_units, c.units) "
		"FROM calloff c JOIN provider p ON p.id = c.provider_id WHERE c.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(q, 0);
		c->request_id = sqlite3_column_int64(q, 1);
		c->provider_id = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, c->provider, sizeof c->provider);
		store_col_text(q, 4, c->tier, sizeof c->tier);
		store_col_text(q, 5, c->override_kind, sizeof c->override_kind);
		store_col_text(q, 6, c->override_reason, sizeof c->override_reason);
		c->continuity = sqlite3_column_int(q, 7) != 0;
		store_col_text(q, 8, c->service, sizeof c->service);
		store_col_text(q, 9, c->locality, sizeof c->locality);
		c->unit_rate = sqlite3_column_int64(q, 10);
		c->units = sqlite3_column_int64(q, 11);
		c->weekly_cost = sqlite3_column_int64(q, 12);
		c->asc_pct = sqlite3_column_int(q, 13);
		store_col_text(q, 14, c->start, sizeof c->start);
		store_col_text(q, 15, c->end, sizeof c->end);
		store_col_text(q, 16, c->status, sizeof c->status);
		store_col_text(q, 17, c->proposed_by, sizeof c->proposed_by);
		store_col_text(q, 18, c->rules, sizeof c->rules);
		store_col_text(q, 19, c->handback_notice, sizeof c->handback_notice);
		store_col_text(q, 20, c->handback_reason, sizeof c->handback_reason);
		store_col_text(q, 21, c->ended_reason, sizeof c->ended_reason);
		store_col_text(q, 22, c->rules_words, sizeof c->rules_words);
		c->varied_from = sqlite3_column_int64(q, 23);
		c->varied_to = sqlite3_column_int64(q, 24);
		store_col_text(q, 25, c->change_reason, sizeof c->change_reason);
		c->s117 = sqlite3_column_int(q, 26) != 0;
		c->fnc = sqlite3_column_int(q, 27) != 0;
		c->held = sqlite3_column_int64(q, 29);
		char sched[16];
		store_col_text(q, 28, sched, sizeof sched);
		if (sched[0]) {
			text_copy(c->pause_from, sizeof c->pause_from, sched);
			c->pause_retain = strcmp(sched + 10, " 1") == 0;
		}
	}
	store_done(q);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "no call-off %lld", (long long)id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading a call-off", why);
}

enum br_status calloff_rows_capacity_free(struct session *s, const struct calloff_info *c, int64_t *free_now,
					  char **why)
{
	*free_now = -1;
	sqlite3_stmt *q = prep(s->store, "SELECT free FROM capacity WHERE provider_id = ?1 AND service = ?2 AND "
					 "locality = ?3", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	if (sqlite3_step(q) == SQLITE_ROW)
		*free_now = sqlite3_column_int64(q, 0);
	store_done(q);
	return BR_OK;
}

static const char activate_sql[] = "SELECT id FROM calloff WHERE status = 'approved' AND start_date <= ?1";
/* care under way ends on its end date; respite (nights) the morning after its
 * last night; a varied call-off by varied_sql below */
static const char end_sql[] =
	"SELECT id FROM calloff WHERE " CALLOFF_SQL_RUNNING("status") " AND status <> 'varied' "
	"AND end_date IS NOT NULL AND ((service <> 'RSP' AND end_date <= ?1) OR (service = 'RSP' AND end_date < ?2))";

/* a varied call-off ends after its last day, unless its successor is still
 * waiting for approval (then the care goes on as it was until it is decided) */
static const char varied_sql[] =
	"SELECT c.id FROM calloff c WHERE c.status = 'varied' AND c.end_date < ?1 AND NOT EXISTS "
	"(SELECT 1 FROM calloff n WHERE n.varied_from = c.id AND n.status = 'awaiting_approval')";
/* a retainer runs to the end of its last day */
static const char retainer_sql[] =
	"SELECT c.id FROM calloff c JOIN calloff_pause p ON p.calloff_id = c.id AND p.resumed_on IS NULL "
	"AND p.released_on IS NULL AND p.begun = 1 AND p.cancelled_on IS NULL WHERE c.status = 'paused' "
	"AND p.retain_until < ?1";
/* a pause scheduled from a later date begins on it */
/* (read from the few pauses, not from every active call-off: this runs at
 * every start-up) */
static const char pause_due_sql[] =
	"SELECT DISTINCT c.id FROM calloff_pause p CROSS JOIN calloff c ON c.id = p.calloff_id "
	"WHERE p.begun = 0 AND p.cancelled_on IS NULL AND p.from_date <= ?1 AND c.status = 'active'";

/* The ids of call-offs due for an event today. */
static enum br_status due_ids(struct session *s, const char *sql, int64_t **ids, int *n, char **why)
{
	char today[11], tonight[11];
	today_text(today);
	date_format(respite_tonight(), tonight);
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, today);
	if (sqlite3_bind_parameter_count(q) >= 2)
		store_bind_text(q, 2, tonight);
	return store_ids(s->store, q, ids, n, "finding call-offs due", why);
}

enum br_status calloff_rows_due(struct session *s, enum calloff_rows_due which, int64_t **ids, int *n, char **why)
{
	static const char *const sql[] = {
		[CALLOFF_DUE_ACTIVATE] = activate_sql, [CALLOFF_DUE_END] = end_sql, [CALLOFF_DUE_VARIED] = varied_sql,
		[CALLOFF_DUE_RETAINER] = retainer_sql, [CALLOFF_DUE_PAUSE] = pause_due_sql,
	};
	return due_ids(s, sql[which], ids, n, why);
}

enum br_status calloff_rows_live_of_person(struct session *s, int64_t user_id, int64_t **ids, int *n, char **why)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s->store,
		"SELECT c.id FROM calloff c JOIN package_request r ON r.id = c.request_id WHERE r.user_id = ?1 "
		"AND " CALLOFF_SQL_LIVE("c.status") " "
		"ORDER BY c.id", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, user_id);
	return store_ids(s->store, q, ids, n, "finding the person's call-offs", why);
}

/* ---- writing ------------------------------------------------------------------ */

enum br_status calloff_rows_insert(struct session *s, const struct calloff_spec *c, int64_t *id, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store,
		"INSERT INTO calloff(request_id, provider_id, offer_id, tier, override_kind, override_reason, "
		"service, locality, unit_rate_pence, units, weekly_cost_pence, asc_pct, start_date, end_date, status, "
		"proposed_by, created_at, continuity, held_units, s117, fnc) "
		"SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,'proposed',?15,?16,?17,?18, "
		/* Section 117 and funded nursing care come from the person (FNC
		 * only on a residential/nursing placement) */
		"coalesce((SELECT su.s117 FROM package_request r JOIN service_user su ON su.id = r.user_id "
		"          WHERE r.id = ?1), 0), "
		"CASE WHEN ?7 = 'RES' THEN coalesce((SELECT su.fnc FROM package_request r JOIN service_user su "
		"          ON su.id = r.user_id WHERE r.id = ?1), 0) ELSE 0 END", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->request_id);
	sqlite3_bind_int64(q, 2, c->provider_id);
	if (c->offer_id)
		sqlite3_bind_int64(q, 3, c->offer_id);
	store_bind_text(q, 4, c->tier);
	store_bind_text(q, 5, c->override_kind && *c->override_kind ? c->override_kind : NULL);
	store_bind_text(q, 6, c->override_kind && *c->override_kind ? c->override_reason : NULL);
	store_bind_text(q, 7, c->service);
	store_bind_text(q, 8, c->locality);
	sqlite3_bind_int64(q, 9, c->unit_rate);
	sqlite3_bind_int64(q, 10, c->units);
	sqlite3_bind_int64(q, 11, c->unit_rate * c->units);
	sqlite3_bind_int(q, 12, c->asc_pct);
	store_bind_text(q, 13, c->start);
	store_bind_text(q, 14, c->end);
	store_bind_text(q, 15, s->user.login);
	store_bind_text(q, 16, now);
	sqlite3_bind_int(q, 17, c->continuity);
	if (c->held > c->units)
		sqlite3_bind_int64(q, 18, c->held);
	enum br_status st = store_step_done(s->store, q, "creating the call-off", why);
	if (st == BR_OK)
		*id = sqlite3_last_insert_rowid(store_db(s->store));
	return st;
}

enum br_status calloff_rows_link_variation(struct session *s, int64_t id, int64_t varied_from, const char *reason,
					   char **why)
{
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff SET varied_from = ?2, change_reason = ?3 WHERE id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, varied_from);
	store_bind_text(q, 3, reason);
	return store_step_done(s->store, q, "linking the variation", why);
}

/* Who took the last of a provider's capacity, for the loser of a race. */
static void who_took(struct session *s, const struct calloff_info *c, char *out, size_t n)
{
	out[0] = '\0';
	sqlite3_stmt *q = prep(s->store,
		"SELECT id, proposed_by, created_at FROM calloff WHERE provider_id = ?1 AND service = ?2 "
		"AND locality = ?3 AND id <> ?4 ORDER BY created_at DESC, id DESC LIMIT 1", NULL);
	if (!q)
		return;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	sqlite3_bind_int64(q, 4, c->id);
	char took_at[21] = "";
	if (sqlite3_step(q) == SQLITE_ROW) {
		snprintf(out, n, "; call-off %lld by %s at %s took it", (long long)sqlite3_column_int64(q, 0),
			 (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2));
		store_col_text(q, 2, took_at, sizeof took_at);
	}
	store_done(q);
	/* a figure reported since then is what left too little (issue 26: the
	 * refusal blamed an officer when an admin had set the capacity) */
	char key[64];
	snprintf(key, sizeof key, "%lld/%s/%s", (long long)c->provider_id, c->service, c->locality);
	q = prep(s->store, "SELECT login, at FROM audit WHERE entity = 'capacity' AND entity_id = ?1 AND "
			   "action = 'capacity.set' ORDER BY id DESC LIMIT 1", NULL);
	if (!q)
		return;
	store_bind_text(q, 1, key);
	if (sqlite3_step(q) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 1), took_at) > 0)
		snprintf(out, n, "; %s set the figure at %s", (const char *)sqlite3_column_text(q, 0),
			 (const char *)sqlite3_column_text(q, 1));
	store_done(q);
}

/* Take or give back `units` of the call-off's lot. */
static enum br_status move(struct session *s, const struct calloff_info *c, bool take, int64_t units, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = take
		? prep(s->store, "UPDATE capacity SET free = free - ?4, updated_at = ?5 WHERE provider_id = ?1 "
				 "AND service = ?2 AND locality = ?3 AND free >= ?4", why)
		: prep(s->store, "UPDATE capacity SET free = free + ?4, updated_at = ?5 WHERE provider_id = ?1 "
				 "AND service = ?2 AND locality = ?3", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	sqlite3_bind_int64(q, 4, units);
	store_bind_text(q, 5, now);
	enum br_status st = store_step_done(s->store, q, take ? "taking capacity" : "returning capacity", why);
	if (st != BR_OK || !take || sqlite3_changes(store_db(s->store)) > 0)
		return st;
	/* none taken: is capacity kept for this locality at all? */
	q = prep(s->store, "SELECT free FROM capacity WHERE provider_id = ?1 AND service = ?2 AND locality = ?3", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	bool kept = sqlite3_step(q) == SQLITE_ROW;
	int64_t free_now = kept ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	if (!kept && strcmp(c->tier, "spot") == 0)
		return BR_OK; /* a spot purchase off the framework keeps no capacity; anyone else's missing figure is none free */
	char took[160];
	who_took(s, c, took, sizeof took);
	return br_fail(why, BR_CONFLICT, "%s has %lld %s free in %s, %lld needed%s", c->provider, (long long)free_now,
		       service_unit(service_find(c->service)), c->locality, (long long)c->held, took);
}

enum br_status calloff_rows_move_units(struct session *s, const struct calloff_info *c, bool take, char **why)
{
	return move(s, c, take, c->held, why);
}

enum br_status calloff_rows_release_held(struct session *s, const struct calloff_info *c, char **why)
{
	if (c->held <= c->units)
		return BR_OK;
	enum br_status st = move(s, c, false, c->held - c->units, why);
	sqlite3_stmt *q;
	if (st != BR_OK || !(q = prep(s->store, "UPDATE calloff SET held_units = NULL WHERE id = ?1", why)))
		return st != BR_OK ? st : BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->id);
	return store_step_done(s->store, q, "returning capacity", why);
}

enum br_status calloff_rows_set_state(struct session *s, int64_t id, const struct calloff_rows_change *ch, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"UPDATE calloff SET status = ?2, end_date = ?3, units = ?4, weekly_cost_pence = unit_rate_pence * ?4, "
		"ended_reason = coalesce(?5, ended_reason), handback_reason = coalesce(?6, handback_reason), "
		"handback_notice = coalesce(?7, handback_notice) WHERE id = ?1 AND status = ?8", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, ch->to);
	store_bind_text(q, 3, ch->end);
	sqlite3_bind_int64(q, 4, ch->units);
	store_bind_text(q, 5, ch->ended_reason);
	store_bind_text(q, 6, ch->handback_reason);
	store_bind_text(q, 7, ch->handback_notice);
	store_bind_text(q, 8, ch->from);
	enum br_status st = store_step_done(s->store, q, "changing the call-off", why);
	if (st != BR_OK)
		return st;
	if (sqlite3_changes(store_db(s->store)) != 1)
		return br_fail(why, BR_CONFLICT, "call-off %lld changed under us: try again", (long long)id);
	return BR_OK;
}

enum br_status calloff_rows_place_request(struct session *s, const struct calloff_info *c, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE package_request SET status = 'placed', closed_at = ?2 "
					 "WHERE id = ?1 AND status = 'open'", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->request_id);
	store_bind_text(q, 2, now);
	enum br_status st = store_step_done(s->store, q, "placing the request", why);
	if (st == BR_OK && sqlite3_changes(store_db(s->store)) == 0)
		return br_fail(why, BR_CONFLICT, "request %lld is no longer open", (long long)c->request_id);
	return st;
}

enum br_status calloff_rows_reopen_request(struct session *s, const struct calloff_info *c, bool handback,
					   const char *why_text, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store,
		"UPDATE package_request SET status = 'open', closed_at = NULL, cancel_reason = NULL, "
		"opened_at = ?2, start_date = coalesce(?4, start_date), "
		/* still a hand-back while a handed-back call-off runs to its notice
		 * (its replacement cancelled): the queue puts it first */
		"handback = (?3 OR EXISTS (SELECT 1 FROM calloff x WHERE x.request_id = ?1 AND x.id <> ?5 AND "
		"x.handback_notice IS NOT NULL AND " CALLOFF_SQL_LIVE("x.status") ")) "
		"WHERE id = ?1 AND status = 'placed' AND NOT EXISTS (SELECT 1 FROM calloff x WHERE "
		"x.request_id = ?1 AND x.id <> ?5 AND x.handback_notice IS NULL AND "
		CALLOFF_SQL_LIVE("x.status") ")", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->request_id);
	store_bind_text(q, 2, now);
	sqlite3_bind_int(q, 3, handback);
	store_bind_text(q, 4, handback ? c->end : NULL);
	sqlite3_bind_int64(q, 5, c->id);
	enum br_status st = store_step_done(s->store, q, "reopening the request", why);
	if (st != BR_OK || sqlite3_changes(store_db(s->store)) == 0)
		return st;
	return audit_id(s, handback ? "request.reopen.handback" : "request.reopen", "request", c->request_id, why_text,
			why);
}
