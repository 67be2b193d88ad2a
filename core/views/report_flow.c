/* report_flow.c — the reports of the flow of work: waiting, pickup, tiers,
 * hand-backs, declines, approvals, respite and residential. */
#include "report_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff.h"
#include "offer.h"
#include "config.h"
#include "domain.h"
#include "export.h"
#include "outfile.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- waiting --------------------------------------------------------------- */

enum br_status report_run_waiting(struct report_ctx *x, char **why)
{
	static const struct report_col lot_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"service", "Service", RK_TEXT},
		{"open", "Open", RK_INT}, {"emergency", "Emerg", RK_INT}, {"urgent", "Urgent", RK_INT},
		{"routine", "Routine", RK_INT}, {"handbacks", "Hand-back", RK_INT},
		{"units", "Units/wk", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col long_cols[] = {
		{"request", "Request", RK_INT}, {"service", "Service", RK_TEXT},
		{"locality", "Locality", RK_TEXT}, {"urgency", "Urgency", RK_TEXT},
		{"handback", "Hand-back", RK_TEXT}, {"waiting_since", "Since", RK_DATE},
		{"days", "Days", RK_DAYS}, {NULL, NULL, 0}};
	x->r->range_used = false;
	snprintf(x->r->note, sizeof x->r->note, "open now: the date range does not apply; units a week (respite: nights)");
	struct report_table *t = report_table_add(x->r, "by_lot", "Open requests by locality and service", lot_cols, 2, 2);
	struct report_table *l = report_table_add(x->r, "longest", "The longest waits, hand-backs first", long_cols, -1, 0);
	enum br_status st = report_fill(x, t,
		"SELECT r.locality, r.service, count(*), sum(r.urgency = 'emergency'), "
		"sum(r.urgency = 'urgent'), sum(r.urgency = 'routine'), sum(r.handback), sum(r.units) "
		"FROM package_request r WHERE r.status = 'open' AND " RFILTER " "
		"GROUP BY r.locality, r.service ORDER BY count(*) DESC, r.locality, r.service", why);
	if (st == BR_OK)
		st = report_fill(x, l,
			"SELECT r.id, r.service, r.locality, r.urgency, "
			"CASE r.handback WHEN 1 THEN 'hand-back' ELSE '' END, date(r.opened_at), "
			"CAST(julianday(:today) - julianday(date(r.opened_at)) AS INTEGER) "
			"FROM package_request r WHERE r.status = 'open' AND " RFILTER " "
			"ORDER BY r.handback DESC, r.opened_at, r.id LIMIT 15", why);
	return st;
}

/* ---- pickup ---------------------------------------------------------------- */

static const struct report_col pick_cols_text[] = {
	{"group", "Group", RK_TEXT}, {"placements", "Placed", RK_INT}, {"p50_days", "p50 days", RK_DAYS},
	{"p90_days", "p90 days", RK_DAYS}, {"max_days", "Max days", RK_DAYS}, {NULL, NULL, 0}};
static const struct report_col pick_cols_week[] = {
	{"week", "Week of", RK_DATE}, {"placements", "Placed", RK_INT}, {"p50_days", "p50 days", RK_DAYS},
	{"p90_days", "p90 days", RK_DAYS}, {"max_days", "Max days", RK_DAYS}, {NULL, NULL, 0}};

enum br_status report_run_pickup(struct report_ctx *x, char **why)
{
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "days from entering the queue to placement, placed in the range");
	struct report_table *tw = report_table_add(x->r, "by_week", "Trend by week (p50 drawn)", pick_cols_week, 2, 1);
	struct report_table *tu = report_table_add(x->r, "by_urgency", "By urgency", pick_cols_text, -1, 0);
	struct report_table *ts = report_table_add(x->r, "by_service", "By service", pick_cols_text, -1, 0);
	struct report_table *tl = report_table_add(x->r, "by_locality", "By locality", pick_cols_text, -1, 0);
	struct report_groups gw = {0}, gu = {0}, gsv = {0}, gl = {0};
	enum br_status st = BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT r.urgency, c.service, c.locality, date(c.created_at), "
		"CAST(julianday(date(c.created_at)) - julianday(date(CASE WHEN r.opened_at <= c.created_at "
		"  THEN r.opened_at ELSE r.created_at END)) AS INTEGER) "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " AND c.tier <> 'legacy'", why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char u[16], sv[8], loc[9];
		store_col_text(q, 0, u, sizeof u);
		store_col_text(q, 1, sv, sizeof sv);
		store_col_text(q, 2, loc, sizeof loc);
		int64_t day = report_iso_days(q, 3);
		int64_t days = sqlite3_column_int64(q, 4);
		if (days < 0)
			days = 0;
		int64_t monday = day - date_weekday(day); /* 0 = Monday */
		char wk[11];
		date_format(monday, wk);
		struct report_group *a = report_group_of(&gw, wk, monday), *b = report_group_of(&gu, u, report_urgency_rank(u)),
			     *c = report_group_of(&gsv, sv, service_find(sv)),
			     *d = report_group_of(&gl, loc, report_locality_rank(x->s, loc));
		if (!a || !b || !c || !d || !report_group_add(a, days) || !report_group_add(b, days) ||
		    !report_group_add(c, days) || !report_group_add(d, days)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	if (st == BR_OK)
		st = report_groups_into(&gw, tw, why);
	if (st == BR_OK)
		st = report_groups_into(&gu, tu, why);
	if (st == BR_OK)
		st = report_groups_into(&gsv, ts, why);
	if (st == BR_OK)
		st = report_groups_into(&gl, tl, why);
	report_groups_free(&gw);
	report_groups_free(&gu);
	report_groups_free(&gsv);
	report_groups_free(&gl);
	return st;
}

/* ---- tiers ----------------------------------------------------------------- */

enum br_status report_run_tiers(struct report_ctx *x, char **why)
{
	static const struct report_col tier_cols[] = {
		{"tier", "Tier", RK_TEXT}, {"placements", "Placements", RK_INT},
		{"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col ovr_cols[] = {
		{"override", "Override", RK_TEXT}, {"placements", "Placements", RK_INT}, {NULL, NULL, 0}};
	static const char *const tiers[] = {"primary", "secondary", "peripheral", "registered",
					    "spot", "continuity", "emergency", NULL};
	static const char *const kinds[] = {"person_choice", "clinical", "spot", "out_of_locality", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "placements made in the range");
	struct report_table *t = report_table_add(x->r, "by_tier", "Placements by tier", tier_cols, 1, 1);
	struct report_table *o = report_table_add(x->r, "overrides", "Overrides by reason", ovr_cols, -1, 0);
	struct report_table *f = report_table_add(x->r, "summary", "In all", report_figure_cols, -1, 0);
	enum br_status st = report_fixed_rows(x, t, tiers,
		"SELECT c.tier, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED
		" GROUP BY c.tier", 1, why);
	if (st != BR_OK)
		return st;
	if (!report_shares_into(t, 1, 2))
		return br_fail(why, BR_NOMEM, "out of memory");
	if ((st = report_fixed_rows(x, o, kinds,
		"SELECT c.override_kind, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND "
		PLACED " AND c.override_kind IS NOT NULL GROUP BY c.override_kind", 1, why)) != BR_OK)
		return st;
	int64_t total = 0, overrides = 0, ool = 0;
	for (int i = 0; i < t->nrows; i++)
		total += report_cell_at(t, i, 1)->v;
	for (int i = 0; i < o->nrows; i++) {
		overrides += report_cell_at(o, i, 1)->v;
		if (strcmp(report_cell_at(o, i, 0)->s, "out_of_locality") == 0)
			ool = report_cell_at(o, i, 1)->v;
	}
	if ((st = report_figure(f, "placements", total, why)) == BR_OK &&
	    (st = report_figure(f, "overrides", overrides, why)) == BR_OK)
		st = report_figure(f, "out of locality", ool, why);
	return st;
}


/* ---- hand-backs --------------------------------------------------------------- */

/* A hand-back is dated by its audited transition (calloff.handback). Its
 * notice date is on or after that day, so only hand-backs with a notice
 * date from the range's start on are looked up in the audit. */
#define HANDBACKS                                                                                \
	"FROM calloff c JOIN audit a ON a.entity = 'calloff' AND a.entity_id = CAST(c.id AS TEXT) " \
	"AND a.action = 'calloff.handback' JOIN provider p ON p.id = c.provider_id "              \
	"WHERE c.handback_reason IS NOT NULL AND c.handback_notice >= :from "                    \
	"AND a.at >= :from AND a.at < :tonext AND " CFILTER " "
#define NOTICE "(julianday(c.handback_notice) - julianday(date(a.at)))"

enum br_status report_run_handbacks(struct report_ctx *x, char **why)
{
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"handbacks", "Hand-backs", RK_INT},
		{"avg_notice_days", "Avg notice", RK_DAYS}, {"min_notice_days", "Least", RK_DAYS}, {NULL, NULL, 0}};
	static const struct report_col reason_cols[] = {
		{"reason", "Reason", RK_TEXT}, {"handbacks", "Hand-backs", RK_INT},
		{"avg_notice_days", "Avg notice", RK_DAYS}, {"min_notice_days", "Least", RK_DAYS}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "given in the range; notice: days from the hand-back to the care ending");
	struct report_table *tp = report_table_add(x->r, "by_provider", "By provider (most first)", prov_cols, 1, 1);
	struct report_table *tr = report_table_add(x->r, "by_reason", "By reason", reason_cols, -1, 0);
	/* one pass over the hand-backs, by provider and reason; both tables
	 * are summed from it */
	struct hb {
		char key[96];
		int64_t n, sum, min;
	};
	struct hb *prov = NULL, reason[8];
	int np = 0, cap = 0, nr = 0;
	int64_t last_id = -1;
	enum br_status st = BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.provider_id, p.name, c.handback_reason, count(*), CAST(sum(" NOTICE ") AS INTEGER), "
		"CAST(min(" NOTICE ") AS INTEGER) " HANDBACKS "GROUP BY c.provider_id, c.handback_reason", why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0), n = sqlite3_column_int64(q, 3),
			sum = sqlite3_column_int64(q, 4), min = sqlite3_column_int64(q, 5);
		if (id != last_id) {
			if (np == cap) {
				cap = cap ? cap * 2 : 64;
				struct hb *g = realloc(prov, (size_t)cap * sizeof *g);
				if (!g) {
					st = br_fail(why, BR_NOMEM, "out of memory");
					break;
				}
				prov = g;
			}
			memset(&prov[np], 0, sizeof prov[np]);
			store_col_text(q, 1, prov[np].key, sizeof prov[np].key);
			prov[np].min = min;
			np++;
			last_id = id;
		}
		struct hb *g = &prov[np - 1];
		g->n += n;
		g->sum += sum;
		if (min < g->min)
			g->min = min;
		char rs[32];
		store_col_text(q, 2, rs, sizeof rs);
		int k = 0;
		while (k < nr && strcmp(reason[k].key, rs) != 0)
			k++;
		if (k == nr && nr < 8) {
			memset(&reason[nr], 0, sizeof reason[nr]);
			text_copy(reason[nr].key, sizeof reason[nr].key, rs);
			reason[nr].min = min;
			nr++;
		}
		if (k < nr) {
			reason[k].n += n;
			reason[k].sum += sum;
			if (min < reason[k].min)
				reason[k].min = min;
		}
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	/* most first, then by name (insertion sort: a few hundred at most) */
	for (int pass = 0; st == BR_OK && pass < 2; pass++) {
		struct hb *a = pass ? reason : prov;
		int n = pass ? nr : np, limit = pass ? n : 25;
		struct report_table *t = pass ? tr : tp;
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && (a[j].n > a[j - 1].n ||
						  (a[j].n == a[j - 1].n && strcmp(a[j].key, a[j - 1].key) < 0)); j--) {
				struct hb tmp = a[j];
				a[j] = a[j - 1];
				a[j - 1] = tmp;
			}
		for (int i = 0; i < n && i < limit; i++) {
			int row = report_row_add(t);
			if (row < 0 || !report_set_s(t, row, 0, a[i].key)) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			report_set_i(t, row, 1, a[i].n);
			/* the average rounded half away from zero, in whole days */
			int64_t avg = a[i].n ? (a[i].sum * 2 + (a[i].sum >= 0 ? a[i].n : -a[i].n)) / (2 * a[i].n) : 0;
			report_set_i(t, row, 2, avg);
			report_set_i(t, row, 3, a[i].min);
		}
	}
	free(prov);
	return st;
}

/* ---- declines --------------------------------------------------------------------- */

#define ANSWERED                                                                                   \
	"FROM offer o JOIN package_request r ON r.id = o.request_id "                               \
	"WHERE (o.status = 'declined' OR o.status = 'expired') AND o.responded_at >= :from "          \
	"AND o.responded_at < :tonext AND " RFILTER " "
/* the same when no locality or service narrows it: no join to the request */
#define ANSWERED_ALL                                                                               \
	"FROM offer o WHERE (o.status = 'declined' OR o.status = 'expired') AND o.responded_at >= :from " \
	"AND o.responded_at < :tonext "

enum br_status report_run_declines(struct report_ctx *x, char **why)
{
	static const struct report_col reason_cols[] = {
		{"reason", "Reason", RK_TEXT}, {"declines", "Declines", RK_INT},
		{"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"declines", "Declines", RK_INT},
		{"windows_missed", "Missed", RK_INT}, {NULL, NULL, 0}};
	static const char *const reasons[] = {"no_capacity", "no_staff", "cannot_meet_need", "price", "other", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "offers answered in the range; missed: the response window passed");
	struct report_table *tr = report_table_add(x->r, "by_reason", "Declines by reason", reason_cols, 1, 1);
	struct report_table *tp = report_table_add(x->r, "by_provider", "By provider (the 25 with most)", prov_cols, -1, 0);
	struct report_table *tf = report_table_add(x->r, "summary", "In all", report_figure_cols, -1, 0);
	/* one pass for the reasons and the missed windows ("~" sorts last) */
	bool narrowed = x->r->p.locality[0] || x->r->p.service[0];
	enum br_status st = report_fixed_rows(x, tr, reasons, narrowed
		? "SELECT CASE o.status WHEN 'expired' THEN '~missed' ELSE o.decline_reason END, count(*) " ANSWERED
		  "GROUP BY 1"
		: "SELECT CASE o.status WHEN 'expired' THEN '~missed' ELSE o.decline_reason END, count(*) " ANSWERED_ALL
		  "GROUP BY 1", 1, why);
	if (st != BR_OK)
		return st;
	int64_t missed = 0;
	if (tr->nrows > 5 && strcmp(report_cell_at(tr, tr->nrows - 1, 0)->s, "~missed") == 0) {
		missed = report_cell_at(tr, tr->nrows - 1, 1)->v;
		free(report_cell_at(tr, tr->nrows - 1, 0)->s);
		tr->nrows--;
	}
	if (!report_shares_into(tr, 1, 2))
		return br_fail(why, BR_NOMEM, "out of memory");
	if ((st = report_fill(x, tp, narrowed
		? "SELECT p.name, x.declined, x.missed FROM (SELECT o.provider_id AS pid, "
		  "sum(o.status = 'declined') AS declined, sum(o.status = 'expired') AS missed " ANSWERED
		  "GROUP BY o.provider_id ORDER BY count(*) DESC, o.provider_id LIMIT 25) x "
		  "JOIN provider p ON p.id = x.pid ORDER BY x.declined + x.missed DESC, p.name"
		: "SELECT p.name, x.declined, x.missed FROM (SELECT o.provider_id AS pid, "
		  "sum(o.status = 'declined') AS declined, sum(o.status = 'expired') AS missed " ANSWERED_ALL
		  "GROUP BY o.provider_id ORDER BY count(*) DESC, o.provider_id LIMIT 25) x "
		  "JOIN provider p ON p.id = x.pid ORDER BY x.declined + x.missed DESC, p.name", why)) != BR_OK)
		return st;
	int64_t declines = 0;
	for (int i = 0; i < tr->nrows; i++)
		declines += report_cell_at(tr, i, 1)->v;
	if ((st = report_figure(tf, "declines", declines, why)) == BR_OK)
		st = report_figure(tf, "response windows missed", missed, why);
	return st;
}

/* ---- approvals ------------------------------------------------------------------- */

#define FILED_R "FROM approval a JOIN calloff c ON c.id = a.calloff_id JOIN approval_rule ar ON ar.approval_id = a.id " \
	"WHERE a.requested_at >= :from AND a.requested_at < :tonext AND " CFILTER " "
#define FILED "FROM approval a JOIN calloff c ON c.id = a.calloff_id WHERE a.requested_at >= :from AND a.requested_at < :tonext AND " CFILTER " "

enum br_status report_run_approvals(struct report_ctx *x, char **why)
{
	static const struct report_col rule_cols[] = {
		{"rule", "Rule that fired", RK_TEXT}, {"approvals", "Filed", RK_INT},
		{"approved", "Approved", RK_INT}, {"rejected", "Rejected", RK_INT},
		{"pending", "Pending", RK_INT}, {NULL, NULL, 0}};
	static const char *const rules[] = {"weekly_cost", "unit_rate", "spot", "tier_override",
					    "out_of_locality", "residential_under_65", "emergency", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "filed in the range (a call-off may fire several rules)");
	struct report_table *tr = report_table_add(x->r, "by_rule", "By rule that fired", rule_cols, 1, 1);
	struct report_table *tf = report_table_add(x->r, "summary", "Decisions", report_figure_cols, -1, 0);
	enum br_status st = report_fixed_rows(x, tr, rules,
		"SELECT ar.rule, count(*) " FILED_R "GROUP BY ar.rule", 1, why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT ar.rule, sum(a.status = 'approved'), sum(a.status = 'rejected' AND a.decided_by IS NOT NULL), "
		"sum(a.status = 'pending') " FILED_R "GROUP BY ar.rule", why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rule = (const char *)sqlite3_column_text(q, 0);
		for (int i = 0; i < tr->nrows; i++)
			if (rule && strcmp(report_cell_at(tr, i, 0)->s, rule) == 0) {
				report_set_i(tr, i, 2, sqlite3_column_int64(q, 1));
				report_set_i(tr, i, 3, sqlite3_column_int64(q, 2));
				report_set_i(tr, i, 4, sqlite3_column_int64(q, 3));
			}
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		return report_step_fail(x, rc, why);
	/* time to decision, in hours, of the decided ones */
	int64_t *h = NULL;
	int n = 0, cap = 0;
	int64_t filed = 0, approved = 0, rejected = 0, withdrawn = 0, pending = 0;
	if (!(q = store_cached(x->s->store,
		"SELECT a.status, a.decided_by IS NOT NULL, "
		"CAST((julianday(a.decided_at) - julianday(a.requested_at)) * 24 AS INTEGER) " FILED, why)))
		return BR_INTERNAL;
	report_bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(q, 0);
		bool decided = sqlite3_column_int(q, 1) != 0;
		filed++;
		if (!status || strcmp(status, "pending") == 0) {
			pending++;
			continue;
		}
		if (!decided) {
			withdrawn++;
			continue;
		}
		if (strcmp(status, "approved") == 0)
			approved++;
		else
			rejected++;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *nh = realloc(h, (size_t)cap * sizeof *nh);
			if (!nh) {
				free(h);
				store_done(q);
				return br_fail(why, BR_NOMEM, "out of memory");
			}
			h = nh;
		}
		int64_t hours = sqlite3_column_int64(q, 2);
		h[n++] = hours < 0 ? 0 : hours;
	}
	store_done(q);
	if (rc != SQLITE_DONE) {
		free(h);
		return report_step_fail(x, rc, why);
	}
	if (n)
		qsort(h, (size_t)n, sizeof *h, report_cmp_i64);
	int64_t p50 = report_percentile(h, n, 50), p90 = report_percentile(h, n, 90);
	free(h);
	if ((st = report_figure(tf, "filed", filed, why)) == BR_OK && (st = report_figure(tf, "approved", approved, why)) == BR_OK &&
	    (st = report_figure(tf, "rejected", rejected, why)) == BR_OK &&
	    (st = report_figure(tf, "withdrawn", withdrawn, why)) == BR_OK &&
	    (st = report_figure(tf, "pending", pending, why)) == BR_OK &&
	    (st = report_figure(tf, "hours to decision p50", p50, why)) == BR_OK)
		st = report_figure(tf, "hours to decision p90", p90, why);
	return st;
}

/* ---- respite ----------------------------------------------------------------------- */

#define BOOKED                                                                                       \
	"FROM calloff c INDEXED BY calloff_by_created JOIN package_request r ON r.id = c.request_id " \
	"JOIN service_user su ON su.id = r.user_id " \
	"WHERE c.tier = 'emergency' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " "
#define NIGHTS "CAST(julianday(coalesce(c.end_date, c.start_date)) - julianday(c.start_date) + 1 AS INTEGER)"

enum br_status report_run_respite(struct report_ctx *x, char **why)
{
	static const struct report_col loc_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"bookings", "Bookings", RK_INT},
		{"nights", "Nights", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col need_cols[] = {
		{"need", "Primary need", RK_TEXT}, {"bookings", "Bookings", RK_INT},
		{"nights", "Nights", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col appr_cols[] = {
		{"approval", "Approval", RK_TEXT}, {"bookings", "Bookings", RK_INT}, {NULL, NULL, 0}};
	static const char *const outcomes[] = {"next working day", "later", "rejected", "withdrawn",
					       "pending", "overdue", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "emergency bookings made in the range (nights drawn)");
	struct report_table *tl = report_table_add(x->r, "by_locality", "By locality", loc_cols, 2, 1);
	struct report_table *tn = report_table_add(x->r, "by_need", "By primary need", need_cols, -1, 0);
	struct report_table *ta = report_table_add(x->r, "approval", "Approved by the next working day?", appr_cols, -1, 0);
	enum br_status st = report_fill(x, tl,
		"SELECT c.locality, count(*), sum(" NIGHTS ") " BOOKED "GROUP BY c.locality ORDER BY count(*) DESC, c.locality",
		why);
	if (st == BR_OK)
		st = report_fill(x, tn, "SELECT su.primary_need, count(*), sum(" NIGHTS ") " BOOKED
			  "GROUP BY su.primary_need ORDER BY count(*) DESC, su.primary_need", why);
	if (st == BR_OK)
		st = report_fixed_rows(x, ta, outcomes,
			"SELECT CASE WHEN a.id IS NULL THEN 'pending' "
			"WHEN a.status = 'approved' AND date(a.decided_at) <= a.due_date THEN 'next working day' "
			"WHEN a.status = 'approved' THEN 'later' "
			"WHEN a.status = 'rejected' AND a.decided_by IS NULL THEN 'withdrawn' "
			"WHEN a.status = 'rejected' THEN 'rejected' "
			"WHEN a.due_date < :today THEN 'overdue' ELSE 'pending' END AS k, count(*) "
			"FROM calloff c INDEXED BY calloff_by_created LEFT JOIN approval a ON a.id = (SELECT max(id) FROM approval WHERE calloff_id = c.id) "
			"WHERE c.tier = 'emergency' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " GROUP BY k",
			1, why);
	return st;
}

/* ---- residential ---------------------------------------------------------------------- */

enum br_status report_run_residential(struct report_ctx *x, char **why)
{
	static const struct report_col loc_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"placements", "Placements", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col list_cols[] = {
		/* the age is text: a restricted person's is withheld (it tells the
		 * date of birth), as every screen shows them by name and reference only */
		{"calloff", "Call-off", RK_INT}, {"person", "Person", RK_TEXT}, {"age", "Age", RK_TEXT},
		{"locality", "Locality", RK_TEXT}, {"start_date", "Start", RK_DATE},
		{"weekly_pence", "Weekly", RK_PENCE}, {"provider", "Provider", RK_TEXT},
		{"justification", "Justification", RK_TEXT}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "placed in the range, people under %d: community alternatives first",
		 x->s->cfg.residential_min_age);
	struct report_table *tl = report_table_add(x->r, "by_locality", "By locality", loc_cols, 1, 1);
	struct report_table *tp = report_table_add(x->r, "placements", "Each placement, with the justification recorded", list_cols, -1, 0);
	if (x->r->p.service[0] && strcmp(x->r->p.service, "RES") != 0)
		return BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.id, su.ref, su.date_of_birth, c.locality, c.start_date, c.weekly_cost_pence, p.name, "
		"coalesce(nullif(c.override_reason, ''), "
		"  (SELECT nullif(a.note, '') FROM approval a WHERE a.calloff_id = c.id AND a.decided_by IS NOT NULL "
		"   ORDER BY a.id DESC LIMIT 1), nullif(r.notes, ''), '(none recorded)'), su.restricted "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"JOIN service_user su ON su.id = r.user_id JOIN provider p ON p.id = c.provider_id "
		"WHERE c.service = 'RES' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " "
		"ORDER BY c.created_at, c.id", why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	int64_t per_loc[BR_MAX_LOCALITIES] = {0};
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t dob = report_iso_days(q, 2), start = report_iso_days(q, 4);
		int age = date_age(dob, start);
		if (age >= x->s->cfg.residential_min_age)
			continue;
		int row = report_row_add(tp);
		if (row < 0) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		char loc[9];
		store_col_text(q, 3, loc, sizeof loc);
		char age_text[16];
		if (sqlite3_column_int(q, 8))
			text_copy(age_text, sizeof age_text, "restricted");
		else
			snprintf(age_text, sizeof age_text, "%d", age);
		report_set_i(tp, row, 0, sqlite3_column_int64(q, 0));
		if (!report_set_s(tp, row, 2, age_text)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		report_set_i(tp, row, 4, start);
		report_set_i(tp, row, 5, sqlite3_column_int64(q, 5));
		if (!report_set_s(tp, row, 1, (const char *)sqlite3_column_text(q, 1)) || !report_set_s(tp, row, 3, loc) ||
		    !report_set_s(tp, row, 6, (const char *)sqlite3_column_text(q, 6)) ||
		    !report_set_s(tp, row, 7, (const char *)sqlite3_column_text(q, 7))) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		int li = config_locality(&x->s->cfg, loc);
		if (li >= 0)
			per_loc[li]++;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	for (int i = 0; st == BR_OK && i < x->s->cfg.n_localities; i++) {
		if (x->r->p.locality[0] && strcmp(x->r->p.locality, x->s->cfg.localities[i].code) != 0)
			continue;
		int row = report_row_add(tl);
		if (row < 0 || !report_set_s(tl, row, 0, x->s->cfg.localities[i].code))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(tl, row, 1, per_loc[i]);
	}
	return st;
}
