#include "approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "request.h"
#include "offers.h"
#include "match.h"
#include "broker_internal.h"
#include "respite_beds.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* Whoever shaped call-off CALLOFF (an SQL expression): true when LOGIN
 * raised the request, made the offer, proposed or filed it, changed the
 * request or lengthened the stay. The one list four eyes reads, here and in
 * who can approve. */
#define SHAPED_BY(CALLOFF, LOGIN)                                                                   \
	"EXISTS (SELECT 1 FROM calloff sc WHERE sc.id = " CALLOFF " AND ("                          \
	"  sc.proposed_by = " LOGIN                                                                 \
	"  OR EXISTS (SELECT 1 FROM package_request sr WHERE sr.id = sc.request_id AND sr.created_by = " LOGIN ") " \
	"  OR EXISTS (SELECT 1 FROM offer so WHERE so.id = sc.offer_id AND so.offered_by = " LOGIN ") " \
	"  OR EXISTS (SELECT 1 FROM approval sa WHERE sa.calloff_id = sc.id AND sa.requested_by = " LOGIN ") " \
	"  OR EXISTS (SELECT 1 FROM audit sx WHERE sx.entity = 'request' "                          \
	"             AND sx.entity_id = CAST(sc.request_id AS TEXT) AND sx.action = 'request.edit' " \
	"             AND sx.login = " LOGIN ") "                                                    \
	"  OR EXISTS (SELECT 1 FROM audit sx WHERE sx.entity = 'calloff' AND sx.entity_id = CAST(sc.id AS TEXT) " \
	"             AND sx.action = 'respite.extend' AND sx.login = " LOGIN ")))"

#define APPROVAL_COLUMNS                                                                          \
	"a.id, a.calloff_id, c.request_id, su.id, su.family_name || ', ' || su.given_name, su.ref, "   \
	"p.name, c.tier, c.service, c.locality, c.weekly_cost_pence, a.annual_cost_pence, c.units, "   \
	"c.unit_rate_pence, a.requested_at, a.requested_by, coalesce(a.due_date,''), a.status, "       \
	"coalesce((SELECT group_concat(detail, '; ') FROM approval_rule WHERE approval_id = a.id), ''), " \
	"coalesce((SELECT group_concat(u.login, ', ') FROM users u WHERE u.role = 'supervisor' "      \
	"  AND u.disabled = 0 AND NOT " SHAPED_BY("c.id", "u.login") " "                              \
	"  AND coalesce(u.approval_limit, 0) >= a.annual_cost_pence), ''), su.restricted, "              \
	"coalesce((SELECT group_concat(x, ', ') FROM (SELECT r.created_by AS x UNION SELECT o.offered_by " \
	"  FROM offer o WHERE o.id = c.offer_id UNION SELECT c.proposed_by UNION SELECT a.requested_by)), '') "

#define APPROVAL_FROM                                                                             \
	"FROM approval a JOIN calloff c ON c.id = a.calloff_id JOIN provider p ON p.id = c.provider_id " \
	"JOIN package_request r ON r.id = c.request_id JOIN service_user su ON su.id = r.user_id "

static void read_item(sqlite3_stmt *q, struct approval_item *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(q, 0);
	a->calloff_id = sqlite3_column_int64(q, 1);
	a->request_id = sqlite3_column_int64(q, 2);
	a->person_id = sqlite3_column_int64(q, 3);
	store_col_text(q, 4, a->person, sizeof a->person);
	store_col_text(q, 5, a->ref, sizeof a->ref);
	store_col_text(q, 6, a->provider, sizeof a->provider);
	store_col_text(q, 7, a->tier, sizeof a->tier);
	store_col_text(q, 8, a->service, sizeof a->service);
	store_col_text(q, 9, a->locality, sizeof a->locality);
	a->weekly_cost = sqlite3_column_int64(q, 10);
	a->annual_cost = sqlite3_column_int64(q, 11);
	a->units = sqlite3_column_int64(q, 12);
	a->unit_rate = sqlite3_column_int64(q, 13);
	store_col_text(q, 14, a->requested_at, sizeof a->requested_at);
	store_col_text(q, 15, a->requested_by, sizeof a->requested_by);
	store_col_text(q, 16, a->due_date, sizeof a->due_date);
	store_col_text(q, 17, a->status, sizeof a->status);
	store_col_text(q, 18, a->rules, sizeof a->rules);
	store_col_text(q, 19, a->can_approve, sizeof a->can_approve);
	a->restricted = sqlite3_column_int(q, 20) != 0;
	store_col_text(q, 21, a->proposers, sizeof a->proposers);
	a->key.set = true;
	text_copy(a->key.k1, sizeof a->key.k1, a->requested_at);
	a->key.id = a->id;
}

static const char *const list_sql[4] = {
	"SELECT " APPROVAL_COLUMNS APPROVAL_FROM "WHERE a.status = 'pending' "
	"ORDER BY a.requested_at, a.id LIMIT ?3",
	"SELECT " APPROVAL_COLUMNS APPROVAL_FROM "WHERE a.status = 'pending' AND (a.requested_at, a.id) > (?1, ?2) "
	"ORDER BY a.requested_at, a.id LIMIT ?3",
	"SELECT " APPROVAL_COLUMNS APPROVAL_FROM "WHERE a.status = 'pending' "
	"ORDER BY a.requested_at DESC, a.id DESC LIMIT ?3",
	"SELECT " APPROVAL_COLUMNS APPROVAL_FROM "WHERE a.status = 'pending' AND (a.requested_at, a.id) < (?1, ?2) "
	"ORDER BY a.requested_at DESC, a.id DESC LIMIT ?3",
};

enum br_status approval_list(struct session *s, const struct list_cursor *at, enum list_dir dir,
			     struct approval_item *rows, int limit, int *n, char **why)
{
	*n = 0;
	bool cursor = at && at->set, backward = dir == LIST_BACKWARD;
	sqlite3_stmt *q = store_cached(s->store, list_sql[backward * 2 + cursor], why);
	if (!q)
		return BR_INTERNAL;
	if (cursor) {
		store_bind_text(q, 1, at->k1);
		sqlite3_bind_int64(q, 2, at->id);
	}
	sqlite3_bind_int(q, 3, limit);
	int rc, count = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && count < limit)
		read_item(q, &rows[count++]);
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s->store, rc, "listing approvals", why);
	for (int i = 0; i < count; i++)
		rows[i].mine = approval_shaped_by(s, rows[i].calloff_id, s->user.login);
	if (backward)
		for (int i = 0, j = count - 1; i < j; i++, j--) {
			struct approval_item t = rows[i];
			rows[i] = rows[j];
			rows[j] = t;
		}
	*n = count;
	return BR_OK;
}

enum br_status approval_get(struct session *s, int64_t calloff_id, struct approval_item *a, char **why)
{
	sqlite3_stmt *q = store_cached(s->store, "SELECT " APPROVAL_COLUMNS APPROVAL_FROM
					 "WHERE a.calloff_id = ?1 ORDER BY a.id DESC LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		read_item(q, a);
	store_done(q);
	if (rc == SQLITE_ROW)
		a->mine = approval_shaped_by(s, calloff_id, s->user.login);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "call-off %lld has no approval", (long long)calloff_id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading an approval", why);
}

enum br_status approval_offers(struct session *s, int64_t request_id, struct offer_history *rows,
				  int max, int *n, char **why)
{
	*n = 0;
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT o.id, p.name, o.tier, o.status, coalesce(o.decline_reason,''), o.note, o.offered_at, "
		"o.offered_by FROM offer o JOIN provider p ON p.id = o.provider_id WHERE o.request_id = ?1 "
		"ORDER BY o.id", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, request_id);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
		struct offer_history *o = &rows[(*n)++];
		o->id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, o->provider, sizeof o->provider);
		store_col_text(q, 2, o->tier, sizeof o->tier);
		store_col_text(q, 3, o->status, sizeof o->status);
		store_col_text(q, 4, o->reason, sizeof o->reason);
		store_col_text(q, 5, o->note, sizeof o->note);
		store_col_text(q, 6, o->offered_at, sizeof o->offered_at);
		store_col_text(q, 7, o->offered_by, sizeof o->offered_by);
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s->store, rc, "reading offers", why);
	return BR_OK;
}

enum br_status approval_file(struct session *s, int64_t calloff_id, int64_t annual_cost, const char *due_date,
			     const struct rule_facts *facts, unsigned fired, int64_t *approval_id, char **why)
{
	char now[21];
	clock_stamp(clock_now(), now);
	sqlite3_stmt *q = store_cached(s->store, "INSERT INTO approval(calloff_id, annual_cost_pence, requested_at, "
						 "requested_by, due_date) VALUES (?1, ?2, ?3, ?4, ?5)", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	sqlite3_bind_int64(q, 2, annual_cost);
	store_bind_text(q, 3, now);
	store_bind_text(q, 4, s->user.login);
	store_bind_text(q, 5, due_date);
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "filing the approval", why);
	int64_t id = sqlite3_last_insert_rowid(store_db(s->store));
	/* the words are read by anyone who sees the approval: a restricted
	 * person's age is not among them */
	struct rule_facts said = *facts;
	if (!(q = store_cached(s->store, "SELECT su.restricted FROM calloff c JOIN package_request r ON r.id = c.request_id "
					 "JOIN service_user su ON su.id = r.user_id WHERE c.id = ?1", why)))
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		said.age_withheld = sqlite3_column_int(q, 0) != 0;
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s->store, rc, "filing the approval", why);
	facts = &said;
	char rules_text[200] = "";
	for (int rule = 0; rule < RULE_COUNT; rule++) {
		if (!(fired & (1u << rule)))
			continue;
		char words[200];
		rules_describe(&s->cfg, facts, rule, words, sizeof words);
		q = store_cached(s->store, "INSERT INTO approval_rule VALUES (?1, ?2, ?3)", why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, id);
		store_bind_text(q, 2, rule_code(rule));
		store_bind_text(q, 3, words);
		rc = sqlite3_step(q);
		store_done(q);
		if (rc != SQLITE_DONE)
			return store_error(s->store, rc, "filing the approval", why);
		size_t len = strlen(rules_text);
		snprintf(rules_text + len, sizeof rules_text - len, "%s%s", len ? "," : "rules=", rule_code(rule));
	}
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)id);
	if (approval_id)
		*approval_id = id;
	return audit_append(s->store, s->user.login, "approval.request", "approval", text, rules_text, why);
}

static const char proposers_sql[] = "SELECT " SHAPED_BY("?1", "?2");

bool approval_shaped_by(struct session *s, int64_t id, const char *login)
{
	sqlite3_stmt *q = prep(s->store, proposers_sql, NULL);
	if (!q)
		return true; /* cannot tell: refuse rather than allow */
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, login);
	bool yes = sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 0;
	store_done(q);
	return yes;
}

enum br_status approval_four_eyes(struct session *s, int64_t calloff_id, bool approve, char **why)
{
	if (!approval_shaped_by(s, calloff_id, s->user.login))
		return BR_OK;
	return br_fail(why, BR_DENIED, "four eyes: %s shaped call-off %lld (raised the request, made the offer, "
				       "wrote its reason, recorded the acceptance or filed it) and cannot %s it",
		       s->user.login, (long long)calloff_id, approve ? "approve" : "reject");
}

enum br_status approval_settle(struct session *s, int64_t calloff_id, enum approval_settlement how, const char *note,
			       char **why)
{
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM approval WHERE calloff_id = ?1 AND status = 'pending' "
					 "ORDER BY id DESC LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	int64_t aid = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	if (!aid) {
		if (how == APPROVAL_SETTLE_WITHDRAW)
			return BR_OK;
		return br_fail(why, BR_CONFLICT, "call-off %lld has no approval waiting", (long long)calloff_id);
	}
	char now[21];
	now_stamp(now);
	q = prep(s->store, "UPDATE approval SET status = ?2, decided_at = ?3, decided_by = ?4, note = ?5 WHERE id = ?1",
		 why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, aid);
	store_bind_text(q, 2, how == APPROVAL_SETTLE_APPROVE ? "approved" : "rejected");
	store_bind_text(q, 3, now);
	/* a withdrawal is nobody's decision */
	store_bind_text(q, 4, how == APPROVAL_SETTLE_WITHDRAW ? NULL : s->user.login);
	char text[300];
	snprintf(text, sizeof text, "%s%.250s", how == APPROVAL_SETTLE_WITHDRAW ? "withdrawn: " : "", note);
	store_bind_text(q, 5, text);
	enum br_status st = store_step_done(s->store, q, "settling the approval", why);
	if (st != BR_OK)
		return st;
	char detail[300];
	snprintf(detail, sizeof detail, "calloff=%lld%s%.250s", (long long)calloff_id, *note ? " note=" : "", note);
	return audit_id(s, how == APPROVAL_SETTLE_APPROVE ? "approval.approve"
			   : how == APPROVAL_SETTLE_REJECT ? "approval.reject" : "approval.withdraw",
			"approval", aid, detail, why);
}

enum br_status approval_recost_pending(struct session *s, int64_t calloff_id, char **why)
{
	sqlite3_stmt *u = prep(s->store,
		"UPDATE approval SET annual_cost_pence = (SELECT unit_rate_pence * units FROM calloff "
		"WHERE id = ?1) WHERE calloff_id = ?1 AND status = 'pending'", why);
	if (!u)
		return BR_INTERNAL;
	sqlite3_bind_int64(u, 1, calloff_id);
	enum br_status st = store_step_done(s->store, u, "updating the approval", why);
	if (st != BR_OK)
		return st;
	if (sqlite3_changes(store_db(s->store)) != 1)
		return br_fail(why, BR_CONFLICT, "call-off %lld's approval has been decided: a longer stay "
						 "is a new booking, approved again", (long long)calloff_id);
	return BR_OK;
}
