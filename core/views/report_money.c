/* report_money.c — the reports of money and the market: spend, and the
 * market (providers, consortia, shares). */
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
#include "provider.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- spend ------------------------------------------------------------------ */

struct sums {
	char key[48];
	int64_t n, weekly, annual, asc, chc;
};

static struct sums *sums_of(struct sums *a, int *n, int cap, const char *key)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(a[i].key, key) == 0)
			return &a[i];
	if (*n >= cap)
		return NULL;
	struct sums *s = &a[(*n)++];
	memset(s, 0, sizeof *s);
	text_copy(s->key, sizeof s->key, key);
	return s;
}

enum br_status report_run_spend(struct report_ctx *x, char **why)
{
	static const struct report_col fund_cols[] = {
		{"funding", "Funding", RK_TEXT}, {"calloffs", "Call-offs", RK_INT},
		{"weekly_pence", "Weekly", RK_PENCE}, {"annual_pence", "Annual", RK_PENCE},
		{"council_weekly_pence", "Council/wk", RK_PENCE}, {"nhs_weekly_pence", "NHS/wk", RK_PENCE},
		{NULL, NULL, 0}};
	static const struct report_col key_cols[] = {
		{"group", "Group", RK_TEXT}, {"calloffs", "Call-offs", RK_INT},
		{"weekly_pence", "Weekly", RK_PENCE}, {"annual_pence", "Annual", RK_PENCE}, {NULL, NULL, 0}};
	static const struct report_col spot_cols[] = {
		{"calloffs", "Spot call-offs", RK_INT}, {"weekly_pence", "Weekly", RK_PENCE},
		{"framework_weekly_pence", "At framework", RK_PENCE}, {"premium_weekly_pence", "Premium/wk", RK_PENCE},
		{"premium_annual_pence", "Premium/yr", RK_PENCE}, {NULL, NULL, 0}};
	x->r->range_used = false;
	snprintf(x->r->note, sizeof x->r->note, "active call-offs now: the date range does not apply; a year is 52 weeks");
	struct report_table *ts = report_table_add(x->r, "by_service", "By service (weekly drawn)", key_cols, 2, 1);
	struct report_table *tf = report_table_add(x->r, "by_funding", "By funding (joint split by its share)", fund_cols, -1, 0);
	struct report_table *tl = report_table_add(x->r, "by_locality", "By locality", key_cols, -1, 0);
	struct report_table *tp = report_table_add(x->r, "spot_premium", "Spot premium over the framework rate", spot_cols, -1, 0);
	struct report_table *tk = report_table_add(x->r, "by_stream", "Section 117 aftercare and funded nursing care (of the above)",
					    fund_cols, -1, 0);
	struct sums stream[2] = {{.key = "S117"}, {.key = "FNC"}};
	int64_t today = clock_today();
	struct sums fund[4], svc[SERVICE_COUNT], loc[BR_MAX_LOCALITIES + 1];
	int nf = 0, ns = 0, nl = 0;
	sums_of(fund, &nf, 4, "ASC");
	sums_of(fund, &nf, 4, "CHC");
	sums_of(fund, &nf, 4, "JOINT");
	for (int i = 0; i < x->s->cfg.n_localities; i++)
		sums_of(loc, &nl, BR_MAX_LOCALITIES + 1, x->s->cfg.localities[i].code);
	int64_t spot_n = 0, spot_w = 0, spot_fw = 0, spot_yr = 0;
	sqlite3_stmt *q = store_cached(x->s->store,
		/* the call-off's own split (a variation may change it): 100 is the
		 * council's alone, 0 the NHS's, anything between joint */
		"SELECT c.service, c.locality, CASE c.asc_pct WHEN 100 THEN 'ASC' WHEN 0 THEN 'CHC' ELSE 'JOINT' END, "
		"c.asc_pct, c.weekly_cost_pence, c.tier, c.units, c.start_date, c.s117, c.fnc "
		"FROM calloff c INDEXED BY calloff_active_cost WHERE c.status = 'active' AND " CFILTER, why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char sv[8], lc[9], fu[8], tier[16];
		store_col_text(q, 0, sv, sizeof sv);
		store_col_text(q, 1, lc, sizeof lc);
		store_col_text(q, 2, fu, sizeof fu);
		store_col_text(q, 5, tier, sizeof tier);
		int64_t pct = sqlite3_column_int64(q, 3), w = sqlite3_column_int64(q, 4);
		/* funded nursing care is the NHS's before the split */
		struct funding_split fs;
		funding_split_of(&x->s->cfg, w, (int)pct, sqlite3_column_int(q, 9) != 0, today, &fs);
		int64_t asc = fs.council;
		/* a year of it: 52 weeks of a weekly package, a respite stay once
		 * (w is already rate x units) */
		int service = service_find(sv);
		int64_t yr = service_annual_cost(service, w, 1);
		if (sqlite3_column_int(q, 8)) {
			stream[0].n++;
			stream[0].weekly += w;
			stream[0].annual += yr;
			stream[0].asc += fs.council;
			stream[0].chc += fs.nhs;
		}
		if (fs.fnc > 0) {
			stream[1].n++;
			stream[1].weekly += fs.fnc;
			stream[1].annual += service_annual_cost(service, fs.fnc, 1);
			stream[1].chc += fs.fnc;
		}
		struct sums *a[3] = {sums_of(fund, &nf, 4, fu), sums_of(svc, &ns, SERVICE_COUNT, sv),
				     sums_of(loc, &nl, BR_MAX_LOCALITIES + 1, lc)};
		for (int k = 0; k < 3; k++)
			if (a[k]) {
				a[k]->n++;
				a[k]->weekly += w;
				a[k]->annual += yr;
				a[k]->asc += asc;
				a[k]->chc += w - asc;
			}
		if (strcmp(tier, "spot") == 0) {
			int64_t start = report_iso_days(q, 7);
			int64_t fr = service >= 0 ? config_framework_rate(&x->s->cfg, service, start) : -1;
			int64_t fw = fr > 0 ? fr * sqlite3_column_int64(q, 6) : w;
			spot_n++;
			spot_w += w;
			spot_fw += fw;
			spot_yr += service_annual_cost(service, w - fw, 1);
		}
	}
	if (rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		return st;
	/* services in the framework's order */
	for (int sv = 0; sv < SERVICE_COUNT; sv++)
		for (int i = 0; i < ns; i++)
			if (strcmp(svc[i].key, service_code(sv)) == 0) {
				int row = report_row_add(ts);
				if (row < 0 || !report_set_s(ts, row, 0, svc[i].key))
					return br_fail(why, BR_NOMEM, "out of memory");
				report_set_i(ts, row, 1, svc[i].n);
				report_set_i(ts, row, 2, svc[i].weekly);
				report_set_i(ts, row, 3, svc[i].annual);
			}
	struct sums total = {.key = "total"};
	for (int i = 0; i < nf; i++) {
		int row = report_row_add(tf);
		if (row < 0 || !report_set_s(tf, row, 0, fund[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(tf, row, 1, fund[i].n);
		report_set_i(tf, row, 2, fund[i].weekly);
		report_set_i(tf, row, 3, fund[i].annual);
		report_set_i(tf, row, 4, fund[i].asc);
		report_set_i(tf, row, 5, fund[i].chc);
		total.n += fund[i].n;
		total.weekly += fund[i].weekly;
		total.annual += fund[i].annual;
		total.asc += fund[i].asc;
		total.chc += fund[i].chc;
	}
	int row = report_row_add(tf);
	if (row < 0 || !report_set_s(tf, row, 0, "total"))
		return br_fail(why, BR_NOMEM, "out of memory");
	report_set_i(tf, row, 1, total.n);
	report_set_i(tf, row, 2, total.weekly);
	report_set_i(tf, row, 3, total.annual);
	report_set_i(tf, row, 4, total.asc);
	report_set_i(tf, row, 5, total.chc);
	for (int i = 0; i < nl; i++) {
		if (x->r->p.locality[0] && strcmp(loc[i].key, x->r->p.locality) != 0)
			continue;
		if ((row = report_row_add(tl)) < 0 || !report_set_s(tl, row, 0, loc[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(tl, row, 1, loc[i].n);
		report_set_i(tl, row, 2, loc[i].weekly);
		report_set_i(tl, row, 3, loc[i].annual);
	}
	if ((row = report_row_add(tp)) < 0)
		return br_fail(why, BR_NOMEM, "out of memory");
	report_set_i(tp, row, 0, spot_n);
	report_set_i(tp, row, 1, spot_w);
	report_set_i(tp, row, 2, spot_fw);
	report_set_i(tp, row, 3, spot_w - spot_fw);
	report_set_i(tp, row, 4, spot_yr);
	/* S117: the call-offs' whole cost, as the council and the NHS share it;
	 * FNC: the NHS's nursing contribution alone */
	for (int i = 0; tk && i < 2; i++) {
		if ((row = report_row_add(tk)) < 0 || !report_set_s(tk, row, 0, stream[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(tk, row, 1, stream[i].n);
		report_set_i(tk, row, 2, stream[i].weekly);
		report_set_i(tk, row, 3, stream[i].annual);
		report_set_i(tk, row, 4, stream[i].asc);
		report_set_i(tk, row, 5, stream[i].chc);
	}
	return BR_OK;
}

/* ---- market ----------------------------------------------------------------- */

struct prow {
	int64_t id, placements, weekly;
	char name[96];
};

static int prow_by_id(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int prow_by_size(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	if (x->placements != y->placements)
		return x->placements > y->placements ? -1 : 1;
	if (x->weekly != y->weekly)
		return x->weekly > y->weekly ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Placements by consortium: a consortium's own and its members'; the
 * rest as "not in a consortium". From the per-provider counts. */
static enum br_status consortia(struct report_ctx *x, const struct prow *pr, int n, struct report_table *tc, char **why)
{
	struct cons {
		int64_t id, placements;
		char name[96];
	} c[64];
	int nc = 0;
	int64_t alone = 0;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT CASE WHEN p.is_consortium = 1 THEN p.id ELSE p.consortium_id END, "
		"(SELECT name FROM provider WHERE id = CASE WHEN p.is_consortium = 1 THEN p.id ELSE p.consortium_id END) "
		"FROM provider p WHERE p.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	for (int i = 0; i < n; i++) {
		if (!pr[i].placements)
			continue;
		sqlite3_bind_int64(q, 1, pr[i].id);
		int64_t cid = 0;
		char name[96] = "";
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
			cid = sqlite3_column_int64(q, 0);
			store_col_text(q, 1, name, sizeof name);
		}
		sqlite3_reset(q);
		if (!cid) {
			alone += pr[i].placements;
			continue;
		}
		int k = 0;
		while (k < nc && c[k].id != cid)
			k++;
		if (k == nc) {
			if (nc == 64) {
				alone += pr[i].placements;
				continue;
			}
			c[nc].id = cid;
			c[nc].placements = 0;
			text_copy(c[nc].name, sizeof c[nc].name, name);
			nc++;
		}
		c[k].placements += pr[i].placements;
	}
	store_done(q);
	/* most first, then by name */
	for (int i = 1; i < nc; i++)
		for (int j = i; j > 0 && (c[j].placements > c[j - 1].placements ||
					  (c[j].placements == c[j - 1].placements && strcmp(c[j].name, c[j - 1].name) < 0)); j--) {
			struct cons t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	for (int i = 0; i <= nc; i++) {
		if (i == nc && alone == 0)
			break;
		int row = report_row_add(tc);
		if (row < 0 || !report_set_s(tc, row, 0, i < nc ? c[i].name : "(not in a consortium)"))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(tc, row, 1, i < nc ? c[i].placements : alone);
	}
	return BR_OK;
}

enum br_status report_run_market(struct report_ctx *x, char **why)
{
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"placements", "Placed", RK_INT},
		{"placement_share_pct", "Share", RK_PCT}, {"weekly_pence", "Weekly", RK_PENCE},
		{"spend_share_pct", "Spend sh", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col cons_cols[] = {
		{"consortium", "Consortium", RK_TEXT}, {"placements", "Placed", RK_INT},
		{"placement_share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col top_cols[] = {
		{"report_figure", "Figure", RK_TEXT}, {"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "placements made in the range; spend: active call-offs now");
	struct report_table *tp = report_table_add(x->r, "by_provider", "Top ten providers and the rest (share drawn)", prov_cols, 2, 1);
	struct report_table *tt = report_table_add(x->r, "top10", "The top ten together", top_cols, -1, 0);
	struct report_table *tc = report_table_add(x->r, "by_consortium", "By consortium", cons_cols, -1, 0);
	struct prow *pr = NULL;
	int n = 0, cap = 0;
	enum br_status st = BR_OK;
	int rc;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.provider_id, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED
		" GROUP BY c.provider_id", why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct prow *np = realloc(pr, (size_t)cap * sizeof *np);
			if (!np) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			pr = np;
		}
		pr[n] = (struct prow){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), 0, ""};
		n++;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		goto done;
	int nplaced = n;
	qsort(pr, (size_t)n, sizeof *pr, prow_by_id);
	if (!(q = store_cached(x->s->store,
		"SELECT c.provider_id, sum(c.weekly_cost_pence) FROM calloff c INDEXED BY calloff_active_cost "
		"WHERE c.status = 'active' AND "
		CFILTER " GROUP BY c.provider_id", why))) {
		st = BR_INTERNAL;
		goto done;
	}
	report_bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct prow key = {.id = sqlite3_column_int64(q, 0)};
		struct prow *hit = bsearch(&key, pr, (size_t)nplaced, sizeof *pr, prow_by_id);
		if (hit) {
			hit->weekly = sqlite3_column_int64(q, 1);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct prow *np = realloc(pr, (size_t)cap * sizeof *np);
			if (!np) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			pr = np;
		}
		pr[n++] = (struct prow){key.id, 0, sqlite3_column_int64(q, 1), ""};
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		goto done;
	qsort(pr, (size_t)n, sizeof *pr, prow_by_size);
	/* names for the top ten (ties broken by name need the names: take them
	 * for the first few dozen, then re-sort) */
	int named = n < 40 ? n : 40;
	for (int i = 0; i < named && st == BR_OK; i++)
		st = provider_name(x->s->store, pr[i].id, pr[i].name, sizeof pr[i].name, why);
	if (st != BR_OK)
		goto done;
	qsort(pr, (size_t)named, sizeof *pr, prow_by_size);
	int top = n < 10 ? n : 10;
	int64_t rest_p = 0, rest_w = 0;
	for (int i = top; i < n; i++) {
		rest_p += pr[i].placements;
		rest_w += pr[i].weekly;
	}
	for (int i = 0; i < top; i++) {
		int row = report_row_add(tp);
		if (row < 0 || !report_set_s(tp, row, 0, pr[i].name)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
		report_set_i(tp, row, 1, pr[i].placements);
		report_set_i(tp, row, 3, pr[i].weekly);
	}
	if (n > top) {
		char label[48];
		snprintf(label, sizeof label, "the other %d", n - top);
		int row = report_row_add(tp);
		if (row < 0 || !report_set_s(tp, row, 0, label)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
		report_set_i(tp, row, 1, rest_p);
		report_set_i(tp, row, 3, rest_w);
	}
	if (!report_shares_into(tp, 1, 2) || !report_shares_into(tp, 3, 4)) {
		st = br_fail(why, BR_NOMEM, "out of memory");
		goto done;
	}
	int64_t top_p = 0, top_w = 0;
	for (int i = 0; i < top; i++) {
		top_p += report_cell_at(tp, i, 2)->v;
		top_w += report_cell_at(tp, i, 4)->v;
	}
	int row = report_row_add(tt);
	if (row < 0 || !report_set_s(tt, row, 0, "top ten: placements"))
		goto nomem;
	report_set_i(tt, row, 1, top_p);
	if ((row = report_row_add(tt)) < 0 || !report_set_s(tt, row, 0, "top ten: spend"))
		goto nomem;
	report_set_i(tt, row, 1, top_w);
	if ((st = consortia(x, pr, n, tc, why)) != BR_OK)
		goto done;
	if (!report_shares_into(tc, 1, 2))
		goto nomem;
	goto done;
nomem:
	st = br_fail(why, BR_NOMEM, "out of memory");
done:
	free(pr);
	return st;
}
