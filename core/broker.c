#include "broker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- small helpers -------------------------------------------------------- */

/* Statements are prepared once per connection and kept (store_cached);
 * every SQL text here is a literal. */
static sqlite3_stmt *prep(struct store *st, const char *sql, char **why)
{
	return store_cached(st, sql, why);
}

/* Run a prepared write and reset it. */
static enum br_status done(struct store *st, sqlite3_stmt *q, const char *doing, char **why)
{
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(st, rc, doing, why);
	return BR_OK;
}

static enum br_status audit_id(struct session *s, const char *action, const char *entity,
			       int64_t id, const char *detail, char **why)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)id);
	return audit_append(s->store, s->user.login, action, entity, text, detail, why);
}

static void now_stamp(char out[21])
{
	clock_stamp(clock_now(), out);
}

static void today_text(char out[11])
{
	date_format(clock_today(), out);
}

/* ---- requests ---------------------------------------------------------------- */

static enum br_status validate_funding(const char *funding, int asc_in, int *asc, char **why)
{
	if (!funding_valid(funding))
		return br_fail(why, BR_DATA, "funding \"%s\" is not ASC, CHC or JOINT", funding);
	if (strcmp(funding, "ASC") == 0)
		*asc = 100;
	else if (strcmp(funding, "CHC") == 0)
		*asc = 0;
	else
		*asc = asc_in;
	if (strcmp(funding, "JOINT") == 0 && (asc_in < 1 || asc_in > 99))
		return br_fail(why, BR_DATA, "joint funding needs the council's share, 1-99%% "
					     "(the NHS CHC share is the rest, so the split adds to 100%%)");
	if (strcmp(funding, "JOINT") != 0 && asc_in >= 0 && asc_in != *asc)
		return br_fail(why, BR_DATA, "%s funding is %d%% council: a split is only for JOINT",
			       funding, *asc);
	return BR_OK;
}

static enum br_status validate_request(struct session *s, const struct request_input *in, bool is_new,
				       int *asc, char **why)
{
	int svc = service_find(in->service);
	if (svc < 0)
		return br_fail(why, BR_DATA, "service \"%s\" is not one of the framework's lots", in->service);
	if (in->units <= 0)
		return br_fail(why, BR_DATA, "units must be more than 0 (%s: %s)", in->service,
			       service_unit(svc));
	if (in->units > 10000)
		return br_fail(why, BR_DATA, "%lld units is more than any package", (long long)in->units);
	int64_t start;
	enum br_status st = date_parse(in->start, &start, why);
	if (st != BR_OK)
		return st;
	if (is_new && start < clock_today())
		return br_fail(why, BR_DATA, "start date %s is in the past", in->start);
	if (!urgency_valid(in->urgency))
		return br_fail(why, BR_DATA, "urgency \"%s\" is not routine, urgent or emergency", in->urgency);
	if (in->locality[0] && config_locality(&s->cfg, in->locality) < 0)
		return br_fail(why, BR_DATA, "locality \"%s\" is not in the config", in->locality);
	return validate_funding(in->funding, in->asc_pct, asc, why);
}

enum br_status request_create(struct session *s, const struct request_input *in, int64_t *id,
			      char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "raising a request", why);
	if (st != BR_OK)
		return st;
	int asc;
	if ((st = validate_request(s, in, true, &asc, why)) != BR_OK)
		return st;
	struct su_row su;
	if ((st = su_find_ref(s->store, in->user_ref, &su, why)) != BR_OK)
		return st;
	if (strcmp(su.status, "active") != 0)
		return br_fail(why, BR_DATA, "%s is %s: a request needs an active person", su.ref, su.status);
	/* the service must be one the person's needs can use: some provider is
	 * registered on that lot for one of their needs */
	sqlite3_stmt *q = prep(s->store,
		"SELECT EXISTS (SELECT 1 FROM registration r JOIN service_user su ON su.id = ?1 "
		"WHERE r.service = ?2 AND (r.need = su.primary_need OR r.need IN "
		"(SELECT need FROM service_user_need WHERE user_id = su.id)))", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, su.id);
	store_bind_text(q, 2, in->service);
	bool usable = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	store_done(q);
	if (!usable)
		return br_fail(why, BR_DATA, "no provider is registered for %s for %s's needs (%s%s%s)",
			       in->service, su.ref, su.primary_need, su.other_needs[0] ? ";" : "",
			       su.other_needs);
	char now[21];
	now_stamp(now);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	q = prep(s->store,
		 "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, "
		 "funding, asc_pct, notes, created_at, created_by, opened_at) "
		 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?10)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, su.id);
	store_bind_text(q, 2, in->service);
	store_bind_text(q, 3, in->locality[0] ? in->locality : su.locality);
	sqlite3_bind_int64(q, 4, in->units);
	store_bind_text(q, 5, in->start);
	store_bind_text(q, 6, in->urgency);
	store_bind_text(q, 7, in->funding);
	sqlite3_bind_int(q, 8, asc);
	store_bind_text(q, 9, in->notes);
	store_bind_text(q, 10, now);
	store_bind_text(q, 11, s->user.login);
	if ((st = done(s->store, q, "raising the request", why)) != BR_OK)
		goto fail;
	*id = sqlite3_last_insert_rowid(store_db(s->store));
	char detail[160];
	snprintf(detail, sizeof detail, "person=%s service=%s units=%lld start=%s urgency=%s funding=%s/%d",
		 su.ref, in->service, (long long)in->units, in->start, in->urgency, in->funding, asc);
	if ((st = audit_id(s, "request.create", "request", *id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status request_get(struct session *s, int64_t id, struct request_info *r, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT r.id, r.user_id, su.ref, su.family_name || ', ' || su.given_name, r.service, "
		"r.units, r.locality, su.locality, su.primary_need, r.start_date, r.urgency, r.funding, "
		"r.asc_pct, r.status, r.handback, su.date_of_birth, r.created_at, r.created_by, r.notes "
		"FROM package_request r JOIN service_user su ON su.id = r.user_id WHERE r.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		store_done(q);
		return rc == SQLITE_DONE ? br_fail(why, BR_NOTFOUND, "no request %lld", (long long)id)
					 : store_error(s->store, rc, "reading a request", why);
	}
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->user_id = sqlite3_column_int64(q, 1);
	store_col_text(q, 2, r->ref, sizeof r->ref);
	store_col_text(q, 3, r->person, sizeof r->person);
	store_col_text(q, 4, r->service, sizeof r->service);
	r->units = sqlite3_column_int64(q, 5);
	store_col_text(q, 6, r->locality, sizeof r->locality);
	store_col_text(q, 7, r->person_locality, sizeof r->person_locality);
	store_col_text(q, 8, r->need, sizeof r->need);
	store_col_text(q, 9, r->start, sizeof r->start);
	store_col_text(q, 10, r->urgency, sizeof r->urgency);
	store_col_text(q, 11, r->funding, sizeof r->funding);
	r->asc_pct = sqlite3_column_int(q, 12);
	store_col_text(q, 13, r->status, sizeof r->status);
	r->handback = sqlite3_column_int(q, 14) != 0;
	store_col_text(q, 15, r->dob, sizeof r->dob);
	store_col_text(q, 16, r->created_at, sizeof r->created_at);
	store_col_text(q, 17, r->created_by, sizeof r->created_by);
	store_col_text(q, 18, r->notes, sizeof r->notes);
	store_done(q);
	return BR_OK;
}

enum br_status request_edit(struct session *s, int64_t id, const struct request_input *in,
			    char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "changing a request", why);
	if (st != BR_OK)
		return st;
	int asc;
	if ((st = validate_request(s, in, false, &asc, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s: only an open request can change",
			     (long long)id, r.status);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store,
		"UPDATE package_request SET units = ?2, start_date = ?3, urgency = ?4, funding = ?5, "
		"asc_pct = ?6, notes = ?7 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, in->units);
	store_bind_text(q, 3, in->start);
	store_bind_text(q, 4, in->urgency);
	store_bind_text(q, 5, in->funding);
	sqlite3_bind_int(q, 6, asc);
	store_bind_text(q, 7, in->notes);
	if ((st = done(s->store, q, "changing the request", why)) != BR_OK)
		goto fail;
	char detail[200];
	snprintf(detail, sizeof detail, "units %lld->%lld start %s->%s urgency %s->%s funding %s/%d->%s/%d",
		 (long long)r.units, (long long)in->units, r.start, in->start, r.urgency, in->urgency,
		 r.funding, r.asc_pct, in->funding, asc);
	if ((st = audit_id(s, "request.edit", "request", id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

/* Withdraw every pending offer of a request (inside the caller's transaction). */
static enum br_status withdraw_pending(struct session *s, int64_t request_id, int64_t except,
				       char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM offer WHERE request_id = ?1 AND "
					 "status = 'pending' AND id <> ?2", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, except);
	int64_t ids[64];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 64)
		ids[n++] = sqlite3_column_int64(q, 0);
	store_done(q);
	for (int i = 0; i < n; i++) {
		q = prep(s->store, "UPDATE offer SET status = 'withdrawn', responded_at = ?2 WHERE id = ?1", why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, ids[i]);
		store_bind_text(q, 2, now);
		enum br_status st = done(s->store, q, "withdrawing offers", why);
		if (st == BR_OK)
			st = audit_id(s, "offer.withdraw", "offer", ids[i], "request placed or closed", why);
		if (st != BR_OK)
			return st;
	}
	return BR_OK;
}

enum br_status request_cancel(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "cancelling a request", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "cancelling a request needs a reason");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is already %s", (long long)id, r.status);
		goto fail;
	}
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE package_request SET status = 'cancelled', closed_at = ?2, "
					 "cancel_reason = ?3 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, reason);
	if ((st = done(s->store, q, "cancelling the request", why)) != BR_OK ||
	    (st = withdraw_pending(s, id, 0, why)) != BR_OK ||
	    (st = audit_id(s, "request.cancel", "request", id, reason, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

/* ---- rates --------------------------------------------------------------------- */

static enum br_status rate_on(struct store *st, int64_t provider_id, const char *service,
			      const char *day, int64_t *pence, char **why)
{
	sqlite3_stmt *q = store_stmt(st, STMT_RATE_IN_FORCE,
		"SELECT pence FROM rate WHERE provider_id = ?1 AND service = ?2 AND valid_from <= ?3 "
		"ORDER BY valid_from DESC LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, service);
	store_bind_text(q, 3, day);
	int rc = sqlite3_step(q);
	*pence = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, rc, "reading rates", why);
	return BR_OK;
}

enum br_status rate_in_force(struct session *s, int64_t provider_id, const char *service,
			     const char *day, int64_t *pence, char **why)
{
	return rate_on(s->store, provider_id, service, day, pence, why);
}

/* ---- the match ------------------------------------------------------------------ */

static const struct {
	const char *code, *text, *brief;
} reason_table[MATCH_REASON_COUNT] = {
#define X(id, code, text, brief) [MATCH_##id] = {code, text, brief},
	MATCH_REASON_LIST(X)
#undef X
};

const char *match_reason_code(int r) { return r >= 0 && r < MATCH_REASON_COUNT ? reason_table[r].code : "?"; }
const char *match_reason_text(int r) { return r >= 0 && r < MATCH_REASON_COUNT ? reason_table[r].text : "?"; }
const char *match_reason_brief(int r) { return r >= 0 && r < MATCH_REASON_COUNT ? reason_table[r].brief : "?"; }

static int tier_rank(const char *tier)
{
	if (strcmp(tier, "primary") == 0)
		return 1;
	if (strcmp(tier, "secondary") == 0)
		return 2;
	if (strcmp(tier, "peripheral") == 0)
		return 3;
	if (strcmp(tier, "registered") == 0)
		return 4;
	return 5;
}

static int rating_rank(const char *rating)
{
	/* best first; not yet rated after requires improvement */
	static const char *const order[] = {"Outstanding", "Good", "Requires improvement", "Not yet rated",
					    "Inadequate"};
	for (int i = 0; i < 5; i++)
		if (strcmp(rating, order[i]) == 0)
			return i;
	return 5;
}

/* Candidates: providers registered on the lot for the person's need, or
 * awarded on the lot, or already delivering it to the person, or already
 * offered this request; with everything the rules look at. */
static const char match_sql[] =
	"WITH current AS (SELECT DISTINCT c.provider_id FROM package_request q "
	"    JOIN calloff c ON c.request_id = q.id "
	"    WHERE q.user_id = ?7 AND c.service = ?2 AND c.status = 'active'), "
	"  offered AS (SELECT provider_id, id, CASE WHEN status = 'pending' AND expires_at < ?8 "
	"    THEN 'expired' ELSE status END AS status FROM offer WHERE request_id = ?1) "
	"SELECT p.id, p.name, p.cqc_rating, p.status, coalesce(p.phone,''), "
	"  coalesce(par.name,''), "
	"  EXISTS (SELECT 1 FROM registration g WHERE g.provider_id = p.id AND g.service = ?2 AND g.need = ?4), "
	"  EXISTS (SELECT 1 FROM coverage c WHERE c.provider_id = p.id AND c.locality = ?3), "
	"  (SELECT free FROM capacity k WHERE k.provider_id = p.id AND k.service = ?2 AND k.locality = ?3), "
	"  coalesce((SELECT pence FROM rate t WHERE t.provider_id = p.id AND t.service = ?2 "
	"            AND t.valid_from <= ?5 ORDER BY t.valid_from DESC LIMIT 1), 0), "
	"  coalesce((SELECT a.tier FROM award a WHERE a.provider_id = p.id AND a.service = ?2 "
	"            AND (a.locality = ?3 OR a.locality IS NULL) AND a.valid_from <= ?6 "
	"            AND (a.valid_to IS NULL OR a.valid_to >= ?6) "
	"            ORDER BY CASE a.tier WHEN 'primary' THEN 1 WHEN 'secondary' THEN 2 ELSE 3 END LIMIT 1), ''), "
	"  p.id IN (SELECT provider_id FROM current), "
	"  coalesce((SELECT o.id FROM offered o WHERE o.provider_id = p.id ORDER BY o.id DESC LIMIT 1), 0), "
	"  coalesce((SELECT o.status FROM offered o WHERE o.provider_id = p.id ORDER BY o.id DESC LIMIT 1), ''), "
	"  (p.consortium_id IS NOT NULL AND EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.consortium_id "
	"          AND a.service = ?2 AND a.valid_from <= ?6 AND (a.valid_to IS NULL OR a.valid_to >= ?6))) "
	"FROM provider p LEFT JOIN provider par ON par.id = p.consortium_id "
	"WHERE p.id IN (SELECT provider_id FROM registration WHERE service = ?2 AND need = ?4 "
	"  UNION SELECT provider_id FROM award WHERE service = ?2 "
	"  UNION SELECT provider_id FROM current "
	"  UNION SELECT provider_id FROM offered)";

static int row_cmp(const void *a, const void *b)
{
	const struct match_row *x = a, *y = b;
	bool xo = x->reasons == 0, yo = y->reasons == 0;
	if (xo != yo)
		return xo ? -1 : 1;
	if (x->tier_rank != y->tier_rank)
		return x->tier_rank - y->tier_rank;
	if (xo) {
		if (x->continuity != y->continuity)
			return x->continuity ? -1 : 1;
		int rx = rating_rank(x->rating), ry = rating_rank(y->rating);
		if (rx != ry)
			return rx - ry;
		if (x->free != y->free)
			return x->free > y->free ? -1 : 1;
		if (x->unit_rate != y->unit_rate)
			return x->unit_rate < y->unit_rate ? -1 : 1;
	}
	int c = strcmp(x->name, y->name);
	return c ? c : (x->provider_id < y->provider_id ? -1 : 1);
}

static enum br_status match_compute(struct session *s, int64_t request_id, struct match_result **out,
				    char **why)
{
	*out = NULL;
	struct match_result *m = calloc(1, sizeof *m);
	if (!m)
		return br_fail(why, BR_NOMEM, "out of memory");
	enum br_status st = request_get(s, request_id, &m->req, why);
	if (st != BR_OK) {
		free(m);
		return st;
	}
	char today[11], now[21];
	today_text(today);
	now_stamp(now);
	sqlite3_stmt *q = store_stmt(s->store, STMT_MATCH, match_sql, why);
	if (!q) {
		free(m);
		return BR_INTERNAL;
	}
	sqlite3_bind_int64(q, 1, request_id);
	store_bind_text(q, 2, m->req.service);
	store_bind_text(q, 3, m->req.locality);
	store_bind_text(q, 4, m->req.need);
	store_bind_text(q, 5, m->req.start);
	store_bind_text(q, 6, today);
	sqlite3_bind_int64(q, 7, m->req.user_id);
	store_bind_text(q, 8, now);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (m->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct match_row *grown = realloc(m->rows, (size_t)cap * sizeof *grown);
			if (!grown) {
				store_done(q);
				match_free(&m);
				return br_fail(why, BR_NOMEM, "out of memory");
			}
			m->rows = grown;
		}
		struct match_row *r = &m->rows[m->n++];
		memset(r, 0, sizeof *r);
		r->provider_id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, r->name, sizeof r->name);
		store_col_text(q, 2, r->rating, sizeof r->rating);
		const char *status = (const char *)sqlite3_column_text(q, 3);
		store_col_text(q, 4, r->phone, sizeof r->phone);
		store_col_text(q, 5, r->consortium, sizeof r->consortium);
		bool registered = sqlite3_column_int(q, 6) != 0;
		bool covers = sqlite3_column_int(q, 7) != 0;
		r->free = sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 8);
		r->unit_rate = sqlite3_column_int64(q, 9);
		const char *award = (const char *)sqlite3_column_text(q, 10);
		r->continuity = sqlite3_column_int(q, 11) != 0;
		r->offer_id = sqlite3_column_int64(q, 12);
		store_col_text(q, 13, r->offer_status, sizeof r->offer_status);
		bool member_of_awarded = sqlite3_column_int(q, 14) != 0;

		text_copy(r->tier, sizeof r->tier,
			  award && *award ? award : registered ? "registered" : "spot");
		r->tier_rank = tier_rank(r->tier);
		if (status && strcmp(status, "left") == 0)
			r->reasons |= 1u << MATCH_LEFT;
		if (status && strcmp(status, "suspended") == 0)
			r->reasons |= 1u << MATCH_SUSPENDED;
		if (!registered)
			r->reasons |= 1u << MATCH_NOT_REGISTERED;
		if (member_of_awarded)
			r->reasons |= 1u << MATCH_CONSORTIUM_MEMBER;
		if (!covers && strcmp(r->tier, "peripheral") != 0)
			r->reasons |= 1u << MATCH_NO_COVERAGE;
		/* untracked capacity (no row) counts as none in the locality */
		if (r->free < m->req.units)
			r->reasons |= 1u << MATCH_NO_CAPACITY;
		if (strcmp(r->rating, "Inadequate") == 0)
			r->reasons |= 1u << MATCH_INADEQUATE;
		if (strcmp(r->offer_status, "declined") == 0)
			r->reasons |= 1u << MATCH_DECLINED;
		if (strcmp(r->offer_status, "expired") == 0)
			r->reasons |= 1u << MATCH_EXPIRED;
	}
	store_done(q);
	if (rc != SQLITE_DONE) {
		match_free(&m);
		return store_error(s->store, rc, "matching", why);
	}
	if (strcmp(m->req.service, "RSP") == 0) {
		/* beds free on every night asked for, not the bed count */
		int64_t first = 0;
		date_parse(m->req.start, &first, NULL);
		for (int i = 0; i < m->n; i++) {
			struct match_row *r = &m->rows[i];
			/* only where beds are the question: excluded for another reason stays excluded */
			if (r->free < 0 || (r->reasons & ~(1u << MATCH_NO_CAPACITY)) != 0)
				continue;
			int lowest = 1 << 30;
			for (int64_t night = first; night < first + m->req.units && night < first + 60; night++) {
				int f;
				if (respite_free(s, r->provider_id, m->req.locality, night, &f, NULL) == BR_OK && f < lowest)
					lowest = f;
			}
			r->free = lowest < 0 ? 0 : lowest;
			if (r->free >= 1)
				r->reasons &= ~(1u << MATCH_NO_CAPACITY);
			else
				r->reasons |= 1u << MATCH_NO_CAPACITY;
		}
	}
	/* The cascade: the highest tier with someone who can still answer
	 * holds the lower tiers back. Continuity skips the cascade. */
	int open_tier = 6;
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].reasons == 0 && m->rows[i].tier_rank < open_tier)
			open_tier = m->rows[i].tier_rank;
	for (int i = 0; i < m->n; i++) {
		struct match_row *r = &m->rows[i];
		if (r->reasons == 0 && !r->continuity && r->tier_rank > open_tier)
			r->reasons |= 1u << MATCH_HIGHER_TIER_PENDING;
	}
	qsort(m->rows, (size_t)m->n, sizeof *m->rows, row_cmp);
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].reasons == 0)
			m->n_offerable++;
	if (open_tier <= 2) {
		/* name who must answer first, for the message that refuses a lower tier */
		size_t len = 0;
		for (int i = 0; i < m->n; i++) {
			const struct match_row *r = &m->rows[i];
			if (r->reasons || r->tier_rank != open_tier)
				continue;
			len += (size_t)snprintf(m->blocking + len, sizeof m->blocking - len, "%s%s (%s, provider %lld) %s",
						len ? "; " : "", r->name, r->tier, (long long)r->provider_id,
						strcmp(r->offer_status, "pending") == 0 ? "has the offer"
											 : "has not been offered it yet");
			if (len >= sizeof m->blocking)
				break;
		}
	} else if (open_tier <= 4) {
		snprintf(m->blocking, sizeof m->blocking, "%s providers can still answer",
			 open_tier == 3 ? "peripheral" : "registered");
	}
	*out = m;
	return BR_OK;
}

enum br_status match_run(struct session *s, int64_t request_id, struct match_result **out, char **why)
{
	return match_compute(s, request_id, out, why);
}

void match_free(struct match_result **mp)
{
	if (!mp || !*mp)
		return;
	free((*mp)->rows);
	free(*mp);
	*mp = NULL;
}

/* ---- offers ---------------------------------------------------------------------- */

const char *override_code(enum override_kind k)
{
	switch (k) {
	case OVERRIDE_PERSON_CHOICE: return "person_choice";
	case OVERRIDE_CLINICAL: return "clinical";
	case OVERRIDE_SPOT: return "spot";
	case OVERRIDE_OUT_OF_LOCALITY: return "out_of_locality";
	default: return "";
	}
}

int override_find(const char *code)
{
	for (int k = OVERRIDE_PERSON_CHOICE; k <= OVERRIDE_OUT_OF_LOCALITY; k++)
		if (code && strcmp(code, override_code((enum override_kind)k)) == 0)
			return k;
	return -1;
}

static const char *const decline_codes[DECLINE_COUNT] = {"no_capacity", "no_staff", "cannot_meet_need",
							  "price", "other"};
static const char *const decline_texts[DECLINE_COUNT] = {"no capacity", "no staff in the area",
							  "cannot meet the need", "price", "other"};

const char *decline_code(int d) { return d >= 0 && d < DECLINE_COUNT ? decline_codes[d] : "?"; }
const char *decline_text(int d) { return d >= 0 && d < DECLINE_COUNT ? decline_texts[d] : "?"; }

int decline_find(const char *code)
{
	for (int i = 0; code && i < DECLINE_COUNT; i++)
		if (strcmp(code, decline_codes[i]) == 0)
			return i;
	return -1;
}

static enum br_status expire_in_tx(struct session *s, int64_t request_id, int *count, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, request_id
		? "SELECT id FROM offer WHERE status = 'pending' AND expires_at < ?1 AND request_id = ?2"
		: "SELECT id FROM offer WHERE status = 'pending' AND expires_at < ?1", why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, now);
	if (request_id)
		sqlite3_bind_int64(q, 2, request_id);
	int64_t *ids = NULL;
	int n = 0, cap = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *g = realloc(ids, (size_t)cap * sizeof *g);
			if (!g)
				break;
			ids = g;
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	enum br_status st = BR_OK;
	for (int i = 0; i < n && st == BR_OK; i++) {
		q = prep(s->store, "UPDATE offer SET status = 'expired', responded_at = expires_at WHERE id = ?1", why);
		if (!q) {
			st = BR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(q, 1, ids[i]);
		st = done(s->store, q, "expiring offers", why);
		if (st == BR_OK)
			st = audit_id(s, "offer.expire", "offer", ids[i], "response window passed", why);
	}
	free(ids);
	if (count)
		*count = n;
	return st;
}

enum br_status offers_expire(struct session *s, int64_t request_id, int *n, char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	if ((st = expire_in_tx(s, request_id, n, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

static int urgency_index(const char *u)
{
	return strcmp(u, "emergency") == 0 ? 2 : strcmp(u, "urgent") == 0 ? 1 : 0;
}

/* Why this provider cannot be offered this request now; BR_OK when it can.
 * *tier is the tier the offer is made at. */
static enum br_status offer_allowed(const struct match_result *m, const struct match_row *r,
				    const struct offer_options *o, const char **tier, char **why)
{
	const char *name = r->name;
	unsigned reasons = r->reasons;
	*tier = r->tier;
	if (reasons & (1u << MATCH_SUSPENDED))
		return br_fail(why, BR_DENIED, "%s is suspended: never offerable", name);
	if (reasons & (1u << MATCH_LEFT))
		return br_fail(why, BR_DENIED, "%s has left the framework", name);
	if (reasons & (1u << MATCH_CONSORTIUM_MEMBER))
		return br_fail(why, BR_DENIED, "%s is a member of %s: offer it to the consortium", name,
			       r->consortium);
	if (reasons & (1u << MATCH_DECLINED))
		return br_fail(why, BR_DENIED, "%s has already declined request %lld", name,
			       (long long)m->req.id);
	if (reasons & (1u << MATCH_EXPIRED))
		return br_fail(why, BR_DENIED, "%s let the response window pass for request %lld", name,
			       (long long)m->req.id);
	if (strcmp(r->offer_status, "pending") == 0)
		return br_fail(why, BR_CONFLICT, "%s already has offer %lld for this request", name,
			       (long long)r->offer_id);
	if (strcmp(r->offer_status, "accepted") == 0)
		return br_fail(why, BR_CONFLICT, "%s already accepted this request", name);
	if (reasons & (1u << MATCH_INADEQUATE))
		return br_fail(why, BR_DENIED, "%s is rated Inadequate by the CQC", name);
	if (reasons & (1u << MATCH_NOT_REGISTERED)) {
		if (o->override != OVERRIDE_SPOT)
			return br_fail(why, BR_DENIED, "%s is not registered for %s on %s: a spot purchase "
						       "needs --override spot and a reason", name, m->req.need,
				       m->req.service);
		*tier = "spot";
		reasons &= ~(1u << MATCH_NOT_REGISTERED);
	}
	if (reasons & (1u << MATCH_NO_COVERAGE)) {
		if (o->override != OVERRIDE_OUT_OF_LOCALITY && o->override != OVERRIDE_SPOT)
			return br_fail(why, BR_DENIED, "%s does not cover %s: an out-of-locality placement "
						       "needs --override out_of_locality and a reason", name,
				       m->req.locality);
		reasons &= ~(1u << MATCH_NO_COVERAGE);
		/* capacity is counted per locality: none is kept for this one */
		if (r->free < 0)
			reasons &= ~(1u << MATCH_NO_CAPACITY);
	}
	if (reasons & (1u << MATCH_NO_CAPACITY)) {
		if (!(r->free < 0 && o->override == OVERRIDE_SPOT))
			return br_fail(why, BR_DENIED, "%s has no free capacity for this (%lld free, %lld needed)",
				       name, (long long)(r->free < 0 ? 0 : r->free), (long long)m->req.units);
		reasons &= ~(1u << MATCH_NO_CAPACITY);
	}
	if (reasons & (1u << MATCH_HIGHER_TIER_PENDING)) {
		if (o->override != OVERRIDE_PERSON_CHOICE && o->override != OVERRIDE_CLINICAL)
			return br_fail(why, BR_DENIED, "%s is %s and a higher tier must answer first: %s", name,
				       r->tier, m->blocking[0] ? m->blocking : "a higher tier can still answer");
		reasons &= ~(1u << MATCH_HIGHER_TIER_PENDING);
	}
	if (o->override != OVERRIDE_NONE && !text_present(o->reason))
		return br_fail(why, BR_DATA, "an override (%s) needs a written reason", override_code(o->override));
	return reasons ? br_fail(why, BR_DENIED, "%s cannot be offered this request", name) : BR_OK;
}

enum br_status offer_create(struct session *s, int64_t request_id, int64_t provider_id,
			    const struct offer_options *o, int64_t *offer_id, char **why)
{
	static const struct offer_options none = {OVERRIDE_NONE, ""};
	if (!o)
		o = &none;
	enum br_status st = session_require_cap(s, CAP_BROKER, "making an offer", why);
	if (st != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct match_result *m = NULL;
	if ((st = expire_in_tx(s, request_id, NULL, why)) != BR_OK ||
	    (st = match_compute(s, request_id, &m, why)) != BR_OK)
		goto fail;
	if (strcmp(m->req.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s", (long long)request_id, m->req.status);
		goto fail;
	}
	const struct match_row *r = NULL;
	struct match_row outsider;
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == provider_id)
			r = &m->rows[i];
	if (!r) {
		/* not on the lot at all: only a spot purchase */
		struct provider_row p;
		if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
			goto fail;
		memset(&outsider, 0, sizeof outsider);
		outsider.provider_id = provider_id;
		text_copy(outsider.name, sizeof outsider.name, p.name);
		text_copy(outsider.rating, sizeof outsider.rating, p.rating);
		text_copy(outsider.tier, sizeof outsider.tier, "spot");
		outsider.tier_rank = 5;
		outsider.free = -1;
		outsider.reasons = 1u << MATCH_NOT_REGISTERED;
		if (strcmp(p.status, "suspended") == 0)
			outsider.reasons |= 1u << MATCH_SUSPENDED;
		if (strcmp(p.status, "left") == 0)
			outsider.reasons |= 1u << MATCH_LEFT;
		if (strcmp(p.rating, "Inadequate") == 0)
			outsider.reasons |= 1u << MATCH_INADEQUATE;
		r = &outsider;
	}
	const char *tier;
	if ((st = offer_allowed(m, r, o, &tier, why)) != BR_OK)
		goto fail;
	/* primary and secondary go to one provider at a time */
	if (strcmp(tier, "primary") == 0 || strcmp(tier, "secondary") == 0) {
		for (int i = 0; i < m->n; i++)
			if (m->rows[i].provider_id != provider_id && strcmp(m->rows[i].offer_status, "pending") == 0 &&
			    strcmp(m->rows[i].tier, tier) == 0) {
				st = br_fail(why, BR_CONFLICT, "the %s offer to %s is still waiting for an answer",
					     tier, m->rows[i].name);
				goto fail;
			}
	}
	char now[21], expires[21];
	now_stamp(now);
	int hours = s->cfg.response_hours[urgency_index(m->req.urgency)];
	clock_stamp(clock_now() + (time_t)hours * 3600, expires);
	sqlite3_stmt *q = prep(s->store,
		"INSERT INTO offer(request_id, provider_id, tier, offered_at, offered_by, expires_at, "
		"override_kind, override_reason, continuity) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, provider_id);
	store_bind_text(q, 3, tier);
	store_bind_text(q, 4, now);
	store_bind_text(q, 5, s->user.login);
	store_bind_text(q, 6, expires);
	store_bind_text(q, 7, o->override ? override_code(o->override) : NULL);
	store_bind_text(q, 8, o->override ? o->reason : NULL);
	sqlite3_bind_int(q, 9, r->continuity);
	if ((st = done(s->store, q, "making the offer", why)) != BR_OK)
		goto fail;
	*offer_id = sqlite3_last_insert_rowid(store_db(s->store));
	char detail[400];
	snprintf(detail, sizeof detail, "request=%lld provider=%lld tier=%s%s%s%s%s", (long long)request_id,
		 (long long)provider_id, tier, r->continuity ? " continuity" : "",
		 o->override ? " override=" : "", o->override ? override_code(o->override) : "",
		 o->override ? "" : "");
	if (o->override) {
		size_t len = strlen(detail);
		snprintf(detail + len, sizeof detail - len, " reason=%.200s", o->reason);
	}
	if ((st = audit_id(s, "offer.create", "offer", *offer_id, detail, why)) != BR_OK)
		goto fail;
	match_free(&m);
	return store_commit(s->store, why);
fail:
	match_free(&m);
	store_rollback(s->store);
	return st;
}

struct offer_row {
	int64_t id, request_id, provider_id;
	char status[12], expires[21], tier[12], override_kind[20], override_reason[256];
	bool continuity;
	char provider[96];
};

static enum br_status offer_load(struct session *s, int64_t id, struct offer_row *o, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT o.id, o.request_id, o.provider_id, o.status, o.expires_at, o.tier, "
		"coalesce(o.override_kind,''), coalesce(o.override_reason,''), o.continuity, p.name "
		"FROM offer o JOIN provider p ON p.id = o.provider_id WHERE o.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(o, 0, sizeof *o);
		o->id = sqlite3_column_int64(q, 0);
		o->request_id = sqlite3_column_int64(q, 1);
		o->provider_id = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, o->status, sizeof o->status);
		store_col_text(q, 4, o->expires, sizeof o->expires);
		store_col_text(q, 5, o->tier, sizeof o->tier);
		store_col_text(q, 6, o->override_kind, sizeof o->override_kind);
		store_col_text(q, 7, o->override_reason, sizeof o->override_reason);
		o->continuity = sqlite3_column_int(q, 8) != 0;
		store_col_text(q, 9, o->provider, sizeof o->provider);
	}
	store_done(q);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "no offer %lld", (long long)id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading an offer", why);
}

/* The offer must still be pending and in its window. An offer past its
 * window is marked expired (and that is saved) before refusing. */
static enum br_status offer_open(struct session *s, struct offer_row *o, bool *expired_now, char **why)
{
	*expired_now = false;
	if (strcmp(o->status, "pending") != 0)
		return br_fail(why, BR_CONFLICT, "offer %lld to %s is already %s", (long long)o->id,
			       o->provider, o->status);
	char now[21];
	now_stamp(now);
	if (strcmp(o->expires, now) < 0) {
		int n;
		enum br_status st = expire_in_tx(s, o->request_id, &n, why);
		if (st != BR_OK)
			return st;
		*expired_now = true;
		return br_fail(why, BR_CONFLICT, "offer %lld to %s expired at %s: it counts as a decline",
			       (long long)o->id, o->provider, o->expires);
	}
	return BR_OK;
}

enum br_status offer_decline(struct session *s, int64_t offer_id, int reason, const char *note,
			     char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a response", why);
	if (st != BR_OK)
		return st;
	if (reason < 0 || reason >= DECLINE_COUNT)
		return br_fail(why, BR_DATA, "a decline needs a reason: no_capacity, no_staff, "
					     "cannot_meet_need, price or other");
	if (reason == DECLINE_OTHER && !text_present(note))
		return br_fail(why, BR_DATA, "a decline for another reason needs a note saying what");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	bool expired = false;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK || (st = offer_open(s, &o, &expired, why)) != BR_OK)
		goto fail;
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE offer SET status = 'declined', responded_at = ?2, "
					 "decline_reason = ?3, note = ?4 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, offer_id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, decline_code(reason));
	store_bind_text(q, 4, note ? note : "");
	char detail[320];
	snprintf(detail, sizeof detail, "reason=%s%s%.250s", decline_code(reason), note && *note ? " note=" : "",
		 note ? note : "");
	if ((st = done(s->store, q, "recording the decline", why)) != BR_OK ||
	    (st = audit_id(s, "offer.decline", "offer", offer_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	if (expired && st == BR_CONFLICT) {
		char *keep = why ? *why : NULL;
		if (why)
			*why = NULL;
		enum br_status c = store_commit(s->store, why);
		if (why) {
			free(*why);
			*why = keep;
		}
		return c == BR_OK ? st : c;
	}
	store_rollback(s->store);
	return st;
}

/* Who took the last of a provider's capacity, for the loser of a race. */
static void who_took(struct session *s, int64_t provider_id, const char *service, const char *locality,
		     char *out, size_t n)
{
	out[0] = '\0';
	sqlite3_stmt *q = prep(s->store,
		"SELECT id, proposed_by, created_at FROM calloff WHERE provider_id = ?1 AND service = ?2 "
		"AND locality = ?3 ORDER BY created_at DESC, id DESC LIMIT 1", NULL);
	if (!q)
		return;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, service);
	store_bind_text(q, 3, locality);
	if (sqlite3_step(q) == SQLITE_ROW)
		snprintf(out, n, "; call-off %lld by %s at %s took it", (long long)sqlite3_column_int64(q, 0),
			 (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2));
	store_done(q);
}

enum br_status offer_accept(struct session *s, int64_t offer_id, int64_t *calloff_id, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a response", why);
	if (st != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	struct request_info req;
	bool expired = false;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK || (st = offer_open(s, &o, &expired, why)) != BR_OK ||
	    (st = request_get(s, o.request_id, &req, why)) != BR_OK)
		goto fail;
	if (strcmp(req.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is already %s", (long long)req.id, req.status);
		goto fail;
	}
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q;
	bool respite = strcmp(req.service, "RSP") == 0;
	int64_t start_night = 0;
	date_parse(req.start, &start_night, NULL);
	if (respite) {
		/* respite beds are counted a night at a time: one bed each night */
		for (int64_t night = start_night; night < start_night + req.units; night++) {
			int free;
			if ((st = respite_free(s, o.provider_id, req.locality, night, &free, why)) != BR_OK)
				goto fail;
			if (free < 1) {
				char d[11];
				date_format(night, d);
				st = br_fail(why, BR_CONFLICT, "%s has no respite bed free in %s on the night of %s",
					     o.provider, req.locality, d);
				goto fail;
			}
		}
		goto capacity_done;
	}
	/* take the capacity: never below zero, whoever else is booking */
	q = prep(s->store, "UPDATE capacity SET free = free - ?4, updated_at = ?5 "
					 "WHERE provider_id = ?1 AND service = ?2 AND locality = ?3 AND free >= ?4", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, o.provider_id);
	store_bind_text(q, 2, req.service);
	store_bind_text(q, 3, req.locality);
	sqlite3_bind_int64(q, 4, req.units);
	store_bind_text(q, 5, now);
	if ((st = done(s->store, q, "taking capacity", why)) != BR_OK)
		goto fail;
	if (sqlite3_changes(store_db(s->store)) == 0) {
		/* is capacity kept for this locality at all? */
		q = prep(s->store, "SELECT free FROM capacity WHERE provider_id = ?1 AND service = ?2 AND locality = ?3",
			 why);
		if (!q) {
			st = BR_INTERNAL;
			goto fail;
		}
		sqlite3_bind_int64(q, 1, o.provider_id);
		store_bind_text(q, 2, req.service);
		store_bind_text(q, 3, req.locality);
		bool kept = sqlite3_step(q) == SQLITE_ROW;
		int64_t free_now = kept ? sqlite3_column_int64(q, 0) : 0;
		store_done(q);
		if (kept || o.override_kind[0] == '\0') {
			char took[160];
			who_took(s, o.provider_id, req.service, req.locality, took, sizeof took);
			st = br_fail(why, BR_CONFLICT, "%s has %lld %s free in %s, %lld needed%s", o.provider,
				     (long long)free_now, service_unit(service_find(req.service)), req.locality,
				     (long long)req.units, took);
			goto fail;
		}
		/* a spot or out-of-locality provider keeps no capacity here */
	}
capacity_done:;
	int64_t rate;
	if ((st = rate_on(s->store, o.provider_id, req.service, req.start, &rate, why)) != BR_OK)
		goto fail;
	if (rate <= 0) {
		st = br_fail(why, BR_DATA, "%s has no %s rate in force on %s: add one before accepting",
			     o.provider, req.service, req.start);
		goto fail;
	}
	int64_t start_day = 0, dob = 0;
	date_parse(req.start, &start_day, NULL);
	date_parse(req.dob, &dob, NULL);
	const char *ok = o.override_kind;
	struct rule_facts facts = {
		.service = service_find(req.service), .weekly_cost = rate * req.units, .unit_rate = rate,
		.start_day = start_day, .age = date_age(dob, start_day),
		.spot = strcmp(ok, "spot") == 0,
		.override = strcmp(ok, "person_choice") == 0 || strcmp(ok, "clinical") == 0,
		.out_of_locality = strcmp(ok, "out_of_locality") == 0 || strcmp(req.locality, req.person_locality) != 0,
		.emergency = false,
	};
	unsigned fired = rules_approval(&s->cfg, &facts);
	const char *status = fired ? "awaiting_approval" : start_day <= clock_today() ? "active" : "approved";
	const char *tier = o.tier;
	q = prep(s->store,
		"INSERT INTO calloff(request_id, provider_id, offer_id, tier, override_kind, override_reason, "
		"service, locality, unit_rate_pence, units, weekly_cost_pence, asc_pct, start_date, status, "
		"proposed_by, created_at, continuity, end_date) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
		why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, req.id);
	sqlite3_bind_int64(q, 2, o.provider_id);
	sqlite3_bind_int64(q, 3, o.id);
	store_bind_text(q, 4, tier);
	store_bind_text(q, 5, ok[0] ? ok : NULL);
	store_bind_text(q, 6, ok[0] ? o.override_reason : NULL);
	store_bind_text(q, 7, req.service);
	store_bind_text(q, 8, req.locality);
	sqlite3_bind_int64(q, 9, rate);
	sqlite3_bind_int64(q, 10, req.units);
	sqlite3_bind_int64(q, 11, rate * req.units);
	sqlite3_bind_int(q, 12, req.asc_pct);
	store_bind_text(q, 13, req.start);
	store_bind_text(q, 14, status);
	store_bind_text(q, 15, s->user.login);
	store_bind_text(q, 16, now);
	sqlite3_bind_int(q, 17, o.continuity);
	if (respite) {
		char last[11];
		date_format(start_night + req.units - 1, last);
		store_bind_text(q, 18, last);
	}
	if ((st = done(s->store, q, "creating the call-off", why)) != BR_OK)
		goto fail;
	*calloff_id = sqlite3_last_insert_rowid(store_db(s->store));

	q = prep(s->store, "UPDATE offer SET status = 'accepted', responded_at = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, o.id);
	store_bind_text(q, 2, now);
	if ((st = done(s->store, q, "recording the acceptance", why)) != BR_OK)
		goto fail;
	q = prep(s->store, "UPDATE package_request SET status = 'placed', closed_at = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, req.id);
	store_bind_text(q, 2, now);
	if ((st = done(s->store, q, "placing the request", why)) != BR_OK ||
	    (st = withdraw_pending(s, req.id, o.id, why)) != BR_OK)
		goto fail;
	char detail[200];
	snprintf(detail, sizeof detail, "calloff=%lld", (long long)*calloff_id);
	if ((st = audit_id(s, "offer.accept", "offer", o.id, detail, why)) != BR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "request=%lld provider=%lld tier=%s rate=%lld units=%lld weekly=%lld status=%s",
		 (long long)req.id, (long long)o.provider_id, tier, (long long)rate, (long long)req.units,
		 (long long)(rate * req.units), status);
	if ((st = audit_id(s, "calloff.create", "calloff", *calloff_id, detail, why)) != BR_OK)
		goto fail;
	if (fired && (st = approval_file(s, *calloff_id, rate * req.units * 52, NULL, &facts, fired, NULL, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	if (expired && st == BR_CONFLICT) {
		char *keep = why ? *why : NULL;
		if (why)
			*why = NULL;
		enum br_status c = store_commit(s->store, why);
		if (why) {
			free(*why);
			*why = keep;
		}
		return c == BR_OK ? st : c;
	}
	store_rollback(s->store);
	return st;
}

/* ---- call-offs --------------------------------------------------------------------- */

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT c.id, c.request_id, c.provider_id, p.name, c.tier, coalesce(c.override_kind,''), "
		"coalesce(c.override_reason,''), c.continuity, c.service, c.locality, c.unit_rate_pence, "
		"c.units, c.weekly_cost_pence, c.asc_pct, c.start_date, coalesce(c.end_date,''), c.status, "
		"c.proposed_by, coalesce((SELECT group_concat(r.rule, ',') FROM approval a JOIN approval_rule r "
		"  ON r.approval_id = a.id WHERE a.calloff_id = c.id), '') "
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
	}
	store_done(q);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "no call-off %lld", (long long)id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading a call-off", why);
}

int handback_find(const char *code)
{
	static const char *const codes[] = {
#define X(code, text) #code,
		HANDBACK_REASON_LIST(X)
#undef X
	};
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return (int)i;
	return -1;
}

/* Give the capacity back and reopen the request (caller's transaction). */
static enum br_status release(struct session *s, const struct calloff_info *c, bool handback, char **why)
{
	char now[21];
	now_stamp(now);
	/* respite beds are counted by nights: ending the call-off frees them */
	sqlite3_stmt *q = prep(s->store, "UPDATE capacity SET free = free + ?4, updated_at = ?5 WHERE provider_id = ?1 "
					 "AND service = ?2 AND locality = ?3 AND service <> 'RSP'", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	sqlite3_bind_int64(q, 4, c->units);
	store_bind_text(q, 5, now);
	enum br_status st = done(s->store, q, "returning capacity", why);
	if (st != BR_OK)
		return st;
	q = prep(s->store, "UPDATE package_request SET status = 'open', closed_at = NULL, cancel_reason = NULL, "
			   "opened_at = ?2, handback = ?3 WHERE id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->request_id);
	store_bind_text(q, 2, now);
	sqlite3_bind_int(q, 3, handback);
	if ((st = done(s->store, q, "reopening the request", why)) != BR_OK)
		return st;
	return audit_id(s, handback ? "request.reopen.handback" : "request.reopen", "request", c->request_id, "", why);
}

enum br_status calloff_handback(struct session *s, int64_t id, const char *reason, const char *notice_date,
				char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a hand-back", why);
	if (st != BR_OK)
		return st;
	if (handback_find(reason) < 0)
		return br_fail(why, BR_DATA, "hand-back reason \"%s\" is not one of no_staff, cannot_meet_need, "
					     "safeguarding, provider_exit, price, other", reason ? reason : "");
	int64_t notice;
	if ((st = date_parse(notice_date, &notice, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK)
		goto fail;
	if (strcmp(c.status, "active") != 0 && strcmp(c.status, "approved") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld is %s: only an active call-off can be handed back",
			     (long long)id, c.status);
		goto fail;
	}
	if (strcmp(notice_date, c.start) < 0) {
		st = br_fail(why, BR_DATA, "notice date %s is before the call-off started (%s)", notice_date, c.start);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff SET status = 'ended', end_date = ?2, ended_reason = 'handed back', "
					 "handback_reason = ?3, handback_notice = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, notice_date);
	store_bind_text(q, 3, reason);
	char detail[120];
	snprintf(detail, sizeof detail, "reason=%s notice=%s", reason, notice_date);
	if ((st = done(s->store, q, "ending the call-off", why)) != BR_OK ||
	    (st = audit_id(s, "calloff.handback", "calloff", id, detail, why)) != BR_OK ||
	    (st = release(s, &c, true, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status calloff_cancel(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "cancelling a call-off", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "cancelling a call-off needs a reason");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK)
		goto fail;
	if (strcmp(c.status, "proposed") != 0 && strcmp(c.status, "awaiting_approval") != 0 &&
	    strcmp(c.status, "approved") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld is %s: hand it back or end it instead", (long long)id,
			     c.status);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff SET status = 'cancelled', ended_reason = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, reason);
	if ((st = done(s->store, q, "cancelling the call-off", why)) != BR_OK ||
	    (st = audit_id(s, "calloff.cancel", "calloff", id, reason, why)) != BR_OK ||
	    (st = release(s, &c, false, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status calloffs_activate_due(struct session *s, int *n, char **why)
{
	char today[11];
	today_text(today);
	*n = 0;
	/* look before taking the write turn: usually there is nothing to do */
	sqlite3_stmt *q = prep(s->store, "SELECT count(*) FROM calloff WHERE status = 'approved' "
					 "AND start_date <= ?1", why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, today);
	int due = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	store_done(q);
	if (!due)
		return BR_OK;
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	q = prep(s->store, "SELECT id FROM calloff WHERE status = 'approved' AND start_date <= ?1", why);
	if (!q) {
		store_rollback(s->store);
		return BR_INTERNAL;
	}
	store_bind_text(q, 1, today);
	int64_t *ids = calloc((size_t)due + 1, sizeof *ids);
	int m = 0;
	while (ids && m <= due && sqlite3_step(q) == SQLITE_ROW)
		ids[m++] = sqlite3_column_int64(q, 0);
	store_done(q);
	if (!ids) {
		store_rollback(s->store);
		return br_fail(why, BR_NOMEM, "out of memory");
	}
	for (int i = 0; i < m && st == BR_OK; i++) {
		q = prep(s->store, "UPDATE calloff SET status = 'active' WHERE id = ?1 AND status = 'approved'", why);
		if (!q) {
			st = BR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(q, 1, ids[i]);
		if ((st = done(s->store, q, "activating call-offs", why)) != BR_OK)
			break;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)ids[i]);
		st = audit_append(s->store, "system", "calloff.activate", "calloff", id, "start date reached", why);
	}
	free(ids);
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	*n = m;
	return store_commit(s->store, why);
}
