/* match.c — the match: every provider for a request in cascade order, the
 * excluded ones with every reason; rates in force. */
#include "match.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "request.h"
#include "offers.h"
#include "match.h"
#include "broker_internal.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite_beds.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- rates --------------------------------------------------------------------- */

static enum br_status rate_on(struct store *st, int64_t provider_id, const char *service,
			      const char *day, int64_t *pence, char **why)
{
	sqlite3_stmt *q = store_stmt(st, STMT_RATE_IN_FORCE,
		"SELECT " RATE_IN_FORCE("?1", "?2", "?3"), why);
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

enum br_status match_rate_in_force(struct session *s, int64_t provider_id, const char *service,
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
 * offered this request; with everything the rules look at.
 *
 * Speed (issue 14): the registered candidates come from one range of
 * registration_by_lot, and each look-up beside them goes through an index
 * ordered by the lot (011_match_indexes.sql), so one request's rows lie on
 * a few pages. The few awards, offers and current call-offs are read once
 * each below and joined here in C, not looked up per candidate. */
#define MATCH_COLS                                                                              \
	"p.id, p.name, p.cqc_rating, p.status, coalesce(p.phone,''), coalesce(par.name,''), "  \
	"EXISTS (SELECT 1 FROM coverage c INDEXED BY coverage_by_locality "                     \
	"        WHERE c.locality = ?3 AND c.provider_id = p.id), "                             \
	"(SELECT free FROM capacity k INDEXED BY capacity_by_lot "                              \
	"        WHERE k.service = ?2 AND k.locality = ?3 AND k.provider_id = p.id), "          \
	RATE_IN_FORCE("p.id", "?2", "?5") ", "                                                   \
	"coalesce((SELECT r.reported_on FROM capacity_report r INDEXED BY capacity_report_by_lot " \
	"        WHERE r.service = ?2 AND r.locality = ?3 AND r.provider_id = p.id), ''), "    \
	"coalesce(p.suspended_reason, ''), coalesce(p.suspended_on, ''), coalesce(p.consortium_id, 0)"

#define MATCH_FROM_REGISTERED                                                                  \
	"SELECT " MATCH_COLS ", 1 "                                                           \
	"FROM registration g JOIN provider p ON p.id = g.provider_id "                        \
	"LEFT JOIN provider par ON par.id = p.consortium_id "                                  \
	"WHERE g.service = ?2 AND g.need = ?4 "
#define MATCH_FROM_OTHERS                                                                      \
	"SELECT " MATCH_COLS ", 0 "                                                           \
	"FROM provider p LEFT JOIN provider par ON par.id = p.consortium_id "                  \
	"WHERE p.id IN (SELECT provider_id FROM award WHERE service = ?2 "                     \
	"  UNION SELECT c.provider_id FROM package_request q JOIN calloff c ON c.request_id = q.id " \
	"    WHERE q.user_id = ?6 AND c.service = +?2 AND c.status = 'active' "               \
	"  UNION SELECT provider_id FROM offer WHERE request_id = ?1) "                        \
	"AND NOT EXISTS (SELECT 1 FROM registration g WHERE g.provider_id = p.id AND g.service = ?2 " \
	"  AND g.need = ?4) "

static const char match_sql[] = MATCH_FROM_REGISTERED "UNION ALL " MATCH_FROM_OTHERS;

/* The same rows for one provider and every provider awarded on the
 * service: all an offer's cascade gate looks at (a higher tier is always
 * an awarded one), without reading the whole lot inside the write. */
#define MATCH_ONE_OR_AWARDED "IN (SELECT ?7 UNION SELECT provider_id FROM award WHERE service = ?2) "
static const char match_one_sql[] = MATCH_FROM_REGISTERED "AND g.provider_id " MATCH_ONE_OR_AWARDED
	"UNION ALL " MATCH_FROM_OTHERS "AND p.id " MATCH_ONE_OR_AWARDED;

/* awards on the service in force today: who, where (NULL: everywhere), tier */
static const char match_awards_sql[] =
	"SELECT provider_id, coalesce(locality, ''), tier FROM award WHERE service = ?1 "
	"AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to >= ?2)";
/* every offer on the request, oldest first; a pending one past its window counts as expired */
static const char match_offers_sql[] =
	"SELECT provider_id, id, CASE WHEN status = 'pending' AND expires_at < ?2 THEN 'expired' "
	"ELSE status END FROM offer WHERE request_id = ?1 ORDER BY id";
/* who already delivers this service to the person. `+?2`, here and in
 * MATCH_FROM_OTHERS: a bare `c.service = ?2` is weighed against the partial
 * index calloff_respite_nights (WHERE service = 'RSP'), which makes SQLite
 * compile the statement again every time ?2 is bound (HACKING.md, "The
 * schema"); the unary plus keeps the index lookup and drops the weighing */
static const char match_current_sql[] =
	"SELECT DISTINCT c.provider_id FROM package_request q JOIN calloff c ON c.request_id = q.id "
	"WHERE q.user_id = ?1 AND c.service = +?2 AND c.status = 'active'";

struct match_award {
	int64_t provider_id;
	char locality[8];
	int rank;
};

struct match_offer {
	int64_t provider_id, id;
	char status[12];
};

struct match_side {
	struct match_award *awards;
	int n_awards;
	struct match_offer *offers;
	int n_offers;
	int64_t *current;
	int n_current;
};

static void side_free(struct match_side *d)
{
	free(d->awards);
	free(d->offers);
	free(d->current);
	memset(d, 0, sizeof *d);
}

/* grow *items to hold one more of size sz; false when out of memory */
static bool grow(void **items, int n, int *cap, size_t sz)
{
	if (n < *cap)
		return true;
	int ncap = *cap ? *cap * 2 : 16;
	void *g = realloc(*items, (size_t)ncap * sz);
	if (!g)
		return false;
	*items = g;
	*cap = ncap;
	return true;
}

static enum br_status side_read(struct session *s, const struct request_info *req, const char *today,
				const char *now, struct match_side *d, char **why)
{
	memset(d, 0, sizeof *d);
	int rc, cap = 0;
	sqlite3_stmt *q = store_stmt(s->store, STMT_MATCH_AWARDS, match_awards_sql, why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, req->service);
	store_bind_text(q, 2, today);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!grow((void **)&d->awards, d->n_awards, &cap, sizeof *d->awards))
			break;
		struct match_award *a = &d->awards[d->n_awards++];
		a->provider_id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, a->locality, sizeof a->locality);
		a->rank = tier_rank((const char *)sqlite3_column_text(q, 2));
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		goto fail;
	cap = 0;
	if (!(q = store_stmt(s->store, STMT_MATCH_OFFERS, match_offers_sql, why)))
		goto internal;
	sqlite3_bind_int64(q, 1, req->id);
	store_bind_text(q, 2, now);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!grow((void **)&d->offers, d->n_offers, &cap, sizeof *d->offers))
			break;
		struct match_offer *o = &d->offers[d->n_offers++];
		o->provider_id = sqlite3_column_int64(q, 0);
		o->id = sqlite3_column_int64(q, 1);
		store_col_text(q, 2, o->status, sizeof o->status);
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		goto fail;
	cap = 0;
	if (!(q = store_stmt(s->store, STMT_MATCH_CURRENT, match_current_sql, why)))
		goto internal;
	sqlite3_bind_int64(q, 1, req->user_id);
	store_bind_text(q, 2, req->service);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!grow((void **)&d->current, d->n_current, &cap, sizeof *d->current))
			break;
		d->current[d->n_current++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		goto fail;
	return BR_OK;
fail:
	side_free(d);
	return rc == SQLITE_ROW ? br_fail(why, BR_NOMEM, "out of memory") : store_error(s->store, rc, "matching", why);
internal:
	side_free(d);
	return BR_INTERNAL;
}

/* the best tier the provider holds on the lot in the request's locality
 * (or everywhere, for peripheral); 0 = none */
static int side_award(const struct match_side *d, int64_t provider_id, const char *locality)
{
	int best = 0;
	for (int i = 0; i < d->n_awards; i++) {
		const struct match_award *a = &d->awards[i];
		if (a->provider_id == provider_id && (!a->locality[0] || strcmp(a->locality, locality) == 0) &&
		    (!best || a->rank < best))
			best = a->rank;
	}
	return best;
}

static bool side_awarded_anywhere(const struct match_side *d, int64_t provider_id)
{
	for (int i = 0; i < d->n_awards; i++)
		if (d->awards[i].provider_id == provider_id)
			return true;
	return false;
}

static const struct match_offer *side_offer(const struct match_side *d, int64_t provider_id)
{
	const struct match_offer *latest = NULL;
	for (int i = 0; i < d->n_offers; i++)
		if (d->offers[i].provider_id == provider_id)
			latest = &d->offers[i]; /* oldest first: the last one is the latest */
	return latest;
}

static bool side_current(const struct match_side *d, int64_t provider_id)
{
	for (int i = 0; i < d->n_current; i++)
		if (d->current[i] == provider_id)
			return true;
	return false;
}

/* a column kept apart from the row: "" when empty, else a copy the
 * result owns ("" also when out of memory: the text is not the rule) */
static const char *match_text(sqlite3_stmt *q, int col)
{
	const char *t = (const char *)sqlite3_column_text(q, col);
	char *copy = t && *t ? strdup(t) : NULL;
	return copy ? copy : "";
}

static void row_texts_free(struct match_row *r)
{
	if (r->consortium && r->consortium[0])
		free((void *)(uintptr_t)r->consortium);
	if (r->suspended_reason && r->suspended_reason[0])
		free((void *)(uintptr_t)r->suspended_reason);
	r->consortium = r->suspended_reason = "";
}

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

static enum br_status match_compute(struct session *s, int64_t request_id, int64_t only, struct match_result **out,
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
	struct match_side side;
	if ((st = side_read(s, &m->req, today, now, &side, why)) != BR_OK) {
		free(m);
		return st;
	}
	sqlite3_stmt *q = only ? store_stmt(s->store, STMT_MATCH_ONE, match_one_sql, why)
			       : store_stmt(s->store, STMT_MATCH, match_sql, why);
	if (!q) {
		side_free(&side);
		free(m);
		return BR_INTERNAL;
	}
	sqlite3_bind_int64(q, 1, request_id);
	store_bind_text(q, 2, m->req.service);
	store_bind_text(q, 3, m->req.locality);
	store_bind_text(q, 4, m->req.need);
	store_bind_text(q, 5, m->req.start);
	sqlite3_bind_int64(q, 6, m->req.user_id);
	if (only)
		sqlite3_bind_int64(q, 7, only);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (!grow((void **)&m->rows, m->n, &cap, sizeof *m->rows)) {
			store_done(q);
			side_free(&side);
			match_free(&m);
			return br_fail(why, BR_NOMEM, "out of memory");
		}
		struct match_row *r = &m->rows[m->n++];
		memset(r, 0, sizeof *r);
		r->provider_id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, r->name, sizeof r->name);
		store_col_text(q, 2, r->rating, sizeof r->rating);
		const char *status = (const char *)sqlite3_column_text(q, 3);
		store_col_text(q, 4, r->phone, sizeof r->phone);
		r->consortium = match_text(q, 5);
		bool covers = sqlite3_column_int(q, 6) != 0;
		r->free = sqlite3_column_type(q, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 7);
		r->unit_rate = sqlite3_column_int64(q, 8);
		store_col_text(q, 9, r->reported_on, sizeof r->reported_on);
		r->suspended_reason = match_text(q, 10);
		store_col_text(q, 11, r->suspended_on, sizeof r->suspended_on);
		int64_t consortium_id = sqlite3_column_int64(q, 12);
		bool registered = sqlite3_column_int(q, 13) != 0;
		int award = side_award(&side, r->provider_id, m->req.locality);
		r->continuity = side_current(&side, r->provider_id);
		const struct match_offer *o = side_offer(&side, r->provider_id);
		if (o) {
			r->offer_id = o->id;
			text_copy(r->offer_status, sizeof r->offer_status, o->status);
		}
		bool member_of_awarded = consortium_id && side_awarded_anywhere(&side, consortium_id);
		if (r->free >= 0) {
			/* a figure nobody has reported for capacity_stale_days is stale */
			int64_t day = 0;
			r->stale = !r->reported_on[0] || date_parse(r->reported_on, &day, NULL) != BR_OK ||
				   clock_today() - day > s->cfg.capacity_stale_days;
		}

		text_copy(r->tier, sizeof r->tier,
			  award == 1 ? "primary" : award == 2 ? "secondary" : award == 3 ? "peripheral"
			  : registered ? "registered" : "spot");
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
		/* the request is open again: whoever had it does not hold up the cascade */
		if (strcmp(r->offer_status, "accepted") == 0 && strcmp(m->req.status, "open") == 0)
			r->reasons |= 1u << MATCH_HAD_IT;
	}
	store_done(q);
	side_free(&side);
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
			int64_t full, nights = m->req.units < 60 ? m->req.units : 60;
			if (respite_beds(s, r->provider_id, m->req.locality, first, first + nights - 1, &lowest, &full,
					 NULL) != BR_OK)
				lowest = 0;
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
	if (m->n > 1) /* (none at all: a cut-down match may have no row) */
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

static enum br_status match_in_snapshot(struct session *s, int64_t request_id, int64_t only,
					struct match_result **out, char **why)
{
	/* one snapshot for the request and every read beside it (and one
	 * read lock, not one per statement); inside a write it nests */
	enum br_status st = store_exec(s->store, "SAVEPOINT match", why);
	if (st != BR_OK)
		return st;
	st = match_compute(s, request_id, only, out, why);
	store_exec(s->store, "RELEASE match", NULL);
	return st;
}

/* (what the faces get: a restricted person masked; the offer's own reading,
 * match_for_offer, sees the request whole) */
enum br_status match_run(struct session *s, int64_t request_id, struct match_result **out, char **why)
{
	enum br_status st = match_in_snapshot(s, request_id, 0, out, why);
	if (st == BR_OK)
		request_mask(&(*out)->req);
	return st;
}

enum br_status match_for_offer(struct session *s, int64_t request_id, int64_t provider_id,
			       struct match_result **out, char **why)
{
	return match_in_snapshot(s, request_id, provider_id > 0 ? provider_id : -1, out, why);
}

void match_free(struct match_result **mp)
{
	if (!mp || !*mp)
		return;
	for (int i = 0; i < (*mp)->n; i++)
		row_texts_free(&(*mp)->rows[i]);
	free((*mp)->rows);
	free(*mp);
	*mp = NULL;
}

