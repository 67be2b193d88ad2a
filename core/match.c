/* match.c — the match: every provider for a request in cascade order, the
 * excluded ones with every reason; rates in force. */
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "broker.h"
#include "broker_internal.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

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
	"          AND a.service = ?2 AND a.valid_from <= ?6 AND (a.valid_to IS NULL OR a.valid_to >= ?6))), "
	"  coalesce((SELECT r.reported_on FROM capacity_report r WHERE r.provider_id = p.id AND r.service = ?2 "
	"            AND r.locality = ?3), ''), "
	"  coalesce(p.suspended_reason, ''), coalesce(p.suspended_on, '') "
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
		store_col_text(q, 15, r->reported_on, sizeof r->reported_on);
		store_col_text(q, 16, r->suspended_reason, sizeof r->suspended_reason);
		store_col_text(q, 17, r->suspended_on, sizeof r->suspended_on);
		if (r->free >= 0) {
			/* a figure nobody has reported for capacity_stale_days is stale */
			int64_t day = 0;
			r->stale = !r->reported_on[0] || date_parse(r->reported_on, &day, NULL) != BR_OK ||
				   clock_today() - day > s->cfg.capacity_stale_days;
		}

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
		/* the request is open again: whoever had it does not hold up the cascade */
		if (strcmp(r->offer_status, "accepted") == 0 && strcmp(m->req.status, "open") == 0)
			r->reasons |= 1u << MATCH_HAD_IT;
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
	enum br_status st = match_compute(s, request_id, out, why);
	/* what the faces show: a restricted person's date of birth stays hidden */
	if (st == BR_OK && (*out)->req.restricted)
		(*out)->req.dob[0] = '\0';
	return st;
}

void match_free(struct match_result **mp)
{
	if (!mp || !*mp)
		return;
	free((*mp)->rows);
	free(*mp);
	*mp = NULL;
}

