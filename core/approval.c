#include "approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "broker.h"
#include "respite.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

#define APPROVAL_COLUMNS                                                                          \
	"a.id, a.calloff_id, c.request_id, su.id, su.family_name || ', ' || su.given_name, su.ref, "   \
	"p.name, c.tier, c.service, c.locality, c.weekly_cost_pence, a.annual_cost_pence, c.units, "   \
	"c.unit_rate_pence, a.requested_at, a.requested_by, coalesce(a.due_date,''), a.status, "       \
	"coalesce((SELECT group_concat(detail, '; ') FROM approval_rule WHERE approval_id = a.id), ''), " \
	"coalesce((SELECT group_concat(u.login, ', ') FROM users u WHERE u.role = 'supervisor' "      \
	"  AND u.disabled = 0 AND u.login <> a.requested_by AND u.login <> c.proposed_by "           \
	"  AND u.login <> r.created_by AND NOT EXISTS (SELECT 1 FROM offer o WHERE o.id = c.offer_id " \
	"  AND o.offered_by = u.login) "                                                            \
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
		rows[i].mine = calloff_is_proposer(s, rows[i].calloff_id, s->user.login);
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
		a->mine = calloff_is_proposer(s, calloff_id, s->user.login);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "call-off %lld has no approval", (long long)calloff_id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading an approval", why);
}

enum br_status offers_for_request(struct session *s, int64_t request_id, struct offer_history *rows,
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

static enum br_status decide_check(struct session *s, int64_t calloff_id, bool approve,
				   const struct approval_item *ap, const struct calloff_info *cp, char **why);

enum br_status approval_decide(struct session *s, int64_t calloff_id, bool approve, const char *note,
			       char **why)
{
	enum br_status st = session_require_cap(s, CAP_APPROVE, approve ? "approving" : "rejecting", why);
	if (st != BR_OK)
		return st;
	if (!approve && !text_present(note))
		return br_fail(why, BR_DATA, "a rejection needs a note saying why");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct approval_item a;
	struct calloff_info c;
	if ((st = approval_get(s, calloff_id, &a, why)) != BR_OK || (st = calloff_get(s, calloff_id, &c, why)) != BR_OK ||
	    (st = decide_check(s, calloff_id, approve, &a, &c, why)) != BR_OK)
		goto fail;
	/* an emergency booking is already under way; anything else starts on its date */
	enum calloff_state to = CS_ANY;
	if (approve && strcmp(c.status, "awaiting_approval") == 0) {
		char today[11];
		date_format(clock_today(), today);
		to = strcmp(c.start, today) <= 0 ? CS_ACTIVE : CS_APPROVED;
	}
	struct calloff_args args = {.note = note};
	if ((st = calloff_transition(s, calloff_id, approve ? CE_APPROVE : CE_REJECT, to, &args, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status approval_may_decide(struct session *s, int64_t calloff_id, bool approve, char **why)
{
	enum br_status st = session_require_cap(s, CAP_APPROVE, approve ? "approving" : "rejecting", why);
	if (st != BR_OK)
		return st;
	struct approval_item a;
	struct calloff_info c;
	if ((st = approval_get(s, calloff_id, &a, why)) != BR_OK || (st = calloff_get(s, calloff_id, &c, why)) != BR_OK)
		return st;
	return decide_check(s, calloff_id, approve, &a, &c, why);
}

/* Who may decide: the approval still pending, four eyes, the limit. */
static enum br_status decide_check(struct session *s, int64_t calloff_id, bool approve,
				   const struct approval_item *ap, const struct calloff_info *cp, char **why)
{
	enum br_status st = BR_OK;
	struct approval_item a = *ap;
	struct calloff_info c = *cp;
	if (strcmp(a.status, "pending") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld was already %s%s%s", (long long)calloff_id, a.status,
			     strcmp(c.status, "cancelled") == 0 ? ": the call-off was cancelled" : "",
			     "");
		goto fail;
	}
	if (calloff_is_proposer(s, calloff_id, s->user.login)) {
		st = br_fail(why, BR_DENIED, "four eyes: %s shaped call-off %lld (raised the request, made the offer, "
					     "wrote its reason, recorded the acceptance or filed it) and cannot %s it",
			     s->user.login, (long long)calloff_id, approve ? "approve" : "reject");
		goto fail;
	}
	if (approve && (s->user.approval_limit < 0 || s->user.approval_limit < a.annual_cost)) {
		char cost[32], limit[32];
		money_format(a.annual_cost, cost, sizeof cost);
		money_format(s->user.approval_limit < 0 ? 0 : s->user.approval_limit, limit, sizeof limit);
		st = br_fail(why, BR_DENIED, "call-off %lld costs %s a year, above %s's limit of %s; %s",
			     (long long)calloff_id, cost, s->user.login, limit,
			     a.can_approve[0] ? a.can_approve : "no supervisor's limit covers it");
		if (a.can_approve[0] && why && *why) {
			char *w = *why;
			*why = NULL;
			br_fail(why, BR_DENIED, "%s can approve it", w);
			free(w);
		}
		goto fail;
	}
	return BR_OK;
fail:
	return st;
}

/* ---- users ---------------------------------------------------------------------- */

static enum br_status check_login(const char *login, char **why)
{
	size_t n = login ? strlen(login) : 0;
	if (n < 1 || n > 32)
		return br_fail(why, BR_DATA, "a login is 1 to 32 characters");
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return br_fail(why, BR_DATA, "login \"%s\": lower-case letters, digits, . _ - only", login);
	return BR_OK;
}

static enum br_status user_write(struct session *s, const char *sql, const char *login, const char *name,
				 const char *role, int64_t limit, const char *action, const char *detail,
				 char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, sql, why);
	if (!q) {
		store_rollback(s->store);
		return BR_INTERNAL;
	}
	char now[21];
	clock_stamp(clock_now(), now);
	store_bind_text(q, 1, login);
	store_bind_text(q, 2, name);
	store_bind_text(q, 3, role);
	if (limit >= 0)
		sqlite3_bind_int64(q, 4, limit);
	else
		sqlite3_bind_null(q, 4);
	store_bind_text(q, 5, now);
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE) {
		st = (rc & 0xff) == SQLITE_CONSTRAINT ? br_fail(why, BR_CONFLICT, "login '%s' already exists", login)
						     : store_error(s->store, rc, "writing users", why);
		store_rollback(s->store);
		return st;
	}
	if (sqlite3_changes(store_db(s->store)) == 0) {
		store_rollback(s->store);
		return br_fail(why, BR_NOTFOUND, "no user '%s'", login);
	}
	if ((st = audit_append(s->store, s->user.login, action, "user", login, detail, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

enum br_status user_add(struct session *s, const char *login, const char *name, const char *role,
			int64_t limit, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "adding users", why);
	if (st != BR_OK || (st = check_login(login, why)) != BR_OK)
		return st;
	if (!role_valid(role))
		return br_fail(why, BR_DATA, "role \"%s\" is not officer, supervisor, oncall, admin or viewer", role);
	if (limit >= 0 && strcmp(role, "supervisor") != 0)
		return br_fail(why, BR_DATA, "an approval limit is for supervisors");
	char detail[120];
	snprintf(detail, sizeof detail, "role=%s limit=%lld", role, (long long)limit);
	return user_write(s, "INSERT INTO users(login, name, role, approval_limit, created_at) VALUES (?1,?2,?3,?4,?5)",
			  login, text_present(name) ? name : login, role, limit, "user.add", detail, why);
}

enum br_status user_set_role(struct session *s, const char *login, const char *role, int64_t limit, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "changing roles", why);
	if (st != BR_OK)
		return st;
	if (!role_valid(role))
		return br_fail(why, BR_DATA, "role \"%s\" is not officer, supervisor, oncall, admin or viewer", role);
	if (limit >= 0 && strcmp(role, "supervisor") != 0)
		return br_fail(why, BR_DATA, "an approval limit is for supervisors");
	if (strcmp(login, s->user.login) == 0 && strcmp(role, "admin") != 0)
		return br_fail(why, BR_DENIED, "an admin cannot take away their own admin role");
	char detail[120];
	snprintf(detail, sizeof detail, "role=%s limit=%lld", role, (long long)limit);
	return user_write(s, "UPDATE users SET role = ?3, approval_limit = ?4 WHERE login = ?1", login, NULL, role, limit, "user.set-role", detail, why);
}

enum br_status user_disable(struct session *s, const char *login, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "disabling users", why);
	if (st != BR_OK)
		return st;
	if (strcmp(login, s->user.login) == 0)
		return br_fail(why, BR_DENIED, "an admin cannot disable themselves");
	return user_write(s, "UPDATE users SET disabled = 1 WHERE login = ?1", login, NULL, NULL, -1, "user.disable", "", why);
}

enum br_status user_list(struct session *s, void (*each)(void *ctx, const struct br_user *u), void *ctx,
			 char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "listing users", why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, "SELECT login FROM users ORDER BY login", why);
	if (!q)
		return BR_INTERNAL;
	char logins[512][33];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 512)
		store_col_text(q, 0, logins[n++], 33);
	store_done(q);
	for (int i = 0; i < n; i++) {
		struct br_user u;
		if ((st = user_get(s->store, logins[i], &u, why)) != BR_OK)
			return st;
		each(ctx, &u);
	}
	return BR_OK;
}
