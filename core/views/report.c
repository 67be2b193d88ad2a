/* report.c — the reports: the list, the model (tables of typed cells), SQL
 * into tables and report_run, one snapshot per report. See report.h; the
 * reports themselves are report_flow.c and report_money.c, the writers
 * report_write.c. */
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

/* ---- the list ------------------------------------------------------------ */

static const struct {
	const char *code, *title;
	int officers;
} reports[] = {
#define X(id, name, title, officers) {name, title, officers},
	BR_REPORT_LIST(X)
#undef X
};

const char *report_code(int which)
{
	return which >= 0 && which < REPORT_COUNT ? reports[which].code : "?";
}

const char *report_title(int which)
{
	return which >= 0 && which < REPORT_COUNT ? reports[which].title : "?";
}

int report_find(const char *code)
{
	for (int i = 0; code && i < REPORT_COUNT; i++)
		if (strcmp(reports[i].code, code) == 0)
			return i;
	return -1;
}

bool report_may(const struct session *s, int which)
{
	if (which < 0 || which >= REPORT_COUNT)
		return false;
	return session_may(s, reports[which].officers ? CAP_REPORTS_QUEUE : CAP_REPORTS);
}

void report_params_default(struct report_params *p)
{
	memset(p, 0, sizeof *p);
	p->to = clock_today();
	p->from = p->to - 83; /* twelve whole weeks, today included */
}

enum br_status report_params_check(const struct session *s, const struct report_params *p, char **why)
{
	if (p->from > p->to)
		return br_fail(why, BR_USAGE, "the range runs backwards: --from is after --to");
	if (p->locality[0] && config_locality(&s->cfg, p->locality) < 0)
		return br_fail(why, BR_USAGE, "no such locality \"%s\"", p->locality);
	if (p->service[0] && service_find(p->service) < 0)
		return br_fail(why, BR_USAGE, "no such service \"%s\"", p->service);
	return BR_OK;
}

/* ---- tables and cells ------------------------------------------------------ */

static int ncols_of(const struct report_col *cols)
{
	int n = 0;
	while (cols[n].name)
		n++;
	return n;
}

struct report_table *report_table_add(struct report *r, const char *name, const char *title,
				      const struct report_col *cols, int chart_col, int label_cols)
{
	if (r->ntables >= REPORT_MAX_TABLES)
		return NULL;
	struct report_table *t = &r->t[r->ntables++];
	memset(t, 0, sizeof *t);
	t->name = name;
	t->title = title;
	t->cols = cols;
	t->ncols = ncols_of(cols);
	t->chart_col = chart_col;
	t->label_cols = label_cols;
	return t;
}

int report_row_add(struct report_table *t)
{
	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct report_cell *c = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *c);
		if (!c)
			return -1;
		t->cells = c;
		t->cap = cap;
	}
	memset(&t->cells[(size_t)t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof *t->cells);
	return t->nrows++;
}

struct report_cell *report_cell_at(const struct report_table *t, int row, int col)
{
	return &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

void report_set_i(struct report_table *t, int row, int col, int64_t v)
{
	report_cell_at(t, row, col)->v = v;
}

bool report_set_s(struct report_table *t, int row, int col, const char *s)
{
	struct report_cell *c = report_cell_at(t, row, col);
	free(c->s);
	c->s = strdup(s ? s : "");
	return c->s != NULL;
}

void report_free(struct report **rp)
{
	if (!rp || !*rp)
		return;
	struct report *r = *rp;
	for (int i = 0; i < r->ntables; i++) {
		struct report_table *t = &r->t[i];
		for (int k = 0; k < t->nrows * t->ncols; k++)
			free(t->cells[k].s);
		free(t->cells);
	}
	free(r);
	*rp = NULL;
}

int64_t report_cell_value(const struct report_table *t, int row, int col)
{
	return report_cell_at(t, row, col)->v;
}

void report_cell_text(const struct report_table *t, int row, int col, bool human, char *out, size_t outsz)
{
	const struct report_cell *c = report_cell_at(t, row, col);
	switch (t->cols[col].kind) {
	case RK_TEXT:
		text_copy(out, outsz, c->s ? c->s : "");
		/* a reason is a code for machines (CSV, JSON), words for people */
		if (human && c->s && strcmp(t->cols[col].name, "reason") == 0) {
			int h = handback_find(c->s), d = decline_find(c->s);
			if (h >= 0)
				text_copy(out, outsz, handback_text(h));
			else if (d >= 0)
				text_copy(out, outsz, decline_text(d));
		}
		return;
	case RK_PENCE:
		if (human)
			money_format(c->v, out, outsz);
		else
			snprintf(out, outsz, "%lld", (long long)c->v);
		return;
	case RK_DATE: {
		char iso[11];
		date_format(c->v, iso);
		if (!human) {
			text_copy(out, outsz, iso);
			return;
		}
		date_words(c->v, DATE_WITH_YEAR, out, outsz);
		return;
	}
	case RK_PCT:
		snprintf(out, outsz, human ? "%lld.%lld%%" : "%lld.%lld", (long long)(c->v / 10),
			 (long long)(c->v % 10));
		return;
	case RK_INT:
	case RK_DAYS:
	default:
		snprintf(out, outsz, "%lld", (long long)c->v);
		return;
	}
}

void report_row_label(const struct report_table *t, int row, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int c = 0; c < t->label_cols && c < t->ncols; c++) {
		char part[96];
		report_cell_text(t, row, c, true, part, sizeof part);
		if (!part[0])
			continue;
		len = strlen(out);
		snprintf(out + len, outsz - len, "%s%s", len ? " " : "", part);
	}
}

int report_chart_table(const struct report *r)
{
	for (int i = 0; i < r->ntables; i++)
		if (r->t[i].chart_col >= 0)
			return i;
	return -1;
}

void report_shares(const int64_t *counts, int n, int64_t *tenths)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += counts[i];
	if (total <= 0) {
		for (int i = 0; i < n; i++)
			tenths[i] = 0;
		return;
	}
	int64_t given = 0;
	for (int i = 0; i < n; i++) {
		tenths[i] = counts[i] * 1000 / total;
		given += tenths[i];
	}
	/* the tenths left over go to the largest remainders, first come first */
	while (given < 1000) {
		int best = -1;
		int64_t best_rem = -1;
		for (int i = 0; i < n; i++) {
			int64_t rem = counts[i] * 1000 - tenths[i] * total;
			/* a share already topped up has a remainder below zero */
			if (rem > best_rem) {
				best_rem = rem;
				best = i;
			}
		}
		if (best < 0 || best_rem <= 0)
			break;
		tenths[best]++;
		given++;
	}
}

int64_t report_percentile(const int64_t *sorted, int n, int pct)
{
	if (n <= 0)
		return 0;
	int rank = (int)(((int64_t)pct * n + 99) / 100); /* nearest rank: ceil(p*n) */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

int report_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* ---- running SQL ------------------------------------------------------------ */


void report_bind_params(const struct report_ctx *x, sqlite3_stmt *q)
{
	int i;
	if ((i = sqlite3_bind_parameter_index(q, ":from")))
		sqlite3_bind_text(q, i, x->from, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":tonext")))
		sqlite3_bind_text(q, i, x->tonext, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":today")))
		sqlite3_bind_text(q, i, x->today, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":loc"))) {
		if (x->r->p.locality[0])
			sqlite3_bind_text(q, i, x->r->p.locality, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, i);
	}
	if ((i = sqlite3_bind_parameter_index(q, ":svc"))) {
		if (x->r->p.service[0])
			sqlite3_bind_text(q, i, x->r->p.service, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, i);
	}
}

enum br_status report_step_fail(struct report_ctx *x, int rc, char **why)
{
	if (rc == SQLITE_INTERRUPT)
		return br_fail(why, BR_DATA, "report %s abandoned", report_code(x->r->which));
	return store_error(x->s->store, rc, "reading a report", why);
}

int64_t report_iso_days(sqlite3_stmt *q, int col)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	char d[11];
	int64_t days = 0;
	if (!v)
		return 0;
	text_copy(d, sizeof d, v);
	if (date_parse(d, &days, NULL) != BR_OK)
		return 0;
	return days;
}

/* Every row of sql into t, a column of the result per column of t. */
enum br_status report_fill(struct report_ctx *x, struct report_table *t, const char *sql, char **why)
{
	sqlite3_stmt *q = store_cached(x->s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int row = report_row_add(t);
		if (row < 0) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		for (int c = 0; c < t->ncols && c < sqlite3_column_count(q); c++) {
			switch (t->cols[c].kind) {
			case RK_TEXT:
				if (!report_set_s(t, row, c, (const char *)sqlite3_column_text(q, c)))
					st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			case RK_DATE:
				report_set_i(t, row, c, report_iso_days(q, c));
				break;
			default:
				report_set_i(t, row, c, sqlite3_column_int64(q, c));
				break;
			}
		}
		if (st != BR_OK)
			break;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	return st;
}

/* Fill a share column (tenths of a percent) from a count column. */
bool report_shares_into(struct report_table *t, int from_col, int to_col)
{
	if (t->nrows == 0)
		return true;
	int64_t *counts = calloc((size_t)t->nrows * 2, sizeof *counts);
	if (!counts)
		return false;
	for (int i = 0; i < t->nrows; i++)
		counts[i] = report_cell_at(t, i, from_col)->v;
	report_shares(counts, t->nrows, counts + t->nrows);
	for (int i = 0; i < t->nrows; i++)
		report_set_i(t, i, to_col, counts[t->nrows + i]);
	free(counts);
	return true;
}

/* Rows for a fixed list of keys in order (zeros where none), the counts
 * looked up from a two-column (key, count) query; keys the list lacks are
 * added after it. */
enum br_status report_fixed_rows(struct report_ctx *x, struct report_table *t, const char *const *keys,
				 const char *sql, int count_col, char **why)
{
	for (int k = 0; keys[k]; k++) {
		int row = report_row_add(t);
		if (row < 0 || !report_set_s(t, row, 0, keys[k]))
			return br_fail(why, BR_NOMEM, "out of memory");
	}
	sqlite3_stmt *q = store_cached(x->s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	report_bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);
		int row = -1;
		for (int i = 0; i < t->nrows; i++)
			if (strcmp(report_cell_at(t, i, 0)->s, key ? key : "") == 0)
				row = i;
		if (row < 0 && ((row = report_row_add(t)) < 0 || !report_set_s(t, row, 0, key))) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		report_set_i(t, row, count_col, sqlite3_column_int64(q, 1));
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = report_step_fail(x, rc, why);
	store_done(q);
	return st;
}

enum br_status report_figure(struct report_table *t, const char *name, int64_t v, char **why)
{
	int row = report_row_add(t);
	if (row < 0 || !report_set_s(t, row, 0, name))
		return br_fail(why, BR_NOMEM, "out of memory");
	report_set_i(t, row, 1, v);
	return BR_OK;
}

const struct report_col report_figure_cols[] = {
	{"report_figure", "Figure", RK_TEXT}, {"value", "Value", RK_INT}, {NULL, NULL, 0}};

/* ---- groups of values (percentiles) ------------------------------------------ */



struct report_group *report_group_of(struct report_groups *gs, const char *key, int64_t sort)
{
	for (int i = 0; i < gs->n; i++)
		if (strcmp(gs->g[i].key, key) == 0)
			return &gs->g[i];
	if (gs->n == gs->cap) {
		int cap = gs->cap ? gs->cap * 2 : 16;
		struct report_group *g = realloc(gs->g, (size_t)cap * sizeof *g);
		if (!g)
			return NULL;
		gs->g = g;
		gs->cap = cap;
	}
	struct report_group *g = &gs->g[gs->n++];
	memset(g, 0, sizeof *g);
	text_copy(g->key, sizeof g->key, key);
	g->sort = sort;
	return g;
}

bool report_group_add(struct report_group *g, int64_t v)
{
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 32;
		int64_t *nv = realloc(g->v, (size_t)cap * sizeof *nv);
		if (!nv)
			return false;
		g->v = nv;
		g->cap = cap;
	}
	g->v[g->n++] = v;
	return true;
}

void report_groups_free(struct report_groups *gs)
{
	for (int i = 0; i < gs->n; i++)
		free(gs->g[i].v);
	free(gs->g);
	memset(gs, 0, sizeof *gs);
}

static int group_cmp(const void *a, const void *b)
{
	const struct report_group *x = a, *y = b;
	if (x->sort != y->sort)
		return x->sort < y->sort ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* key, count, p50, p90, max into t (key as text, or as a date when the
 * table's first column is a date: then sort holds the day). */
enum br_status report_groups_into(struct report_groups *gs, struct report_table *t, char **why)
{
	qsort(gs->g, (size_t)gs->n, sizeof *gs->g, group_cmp);
	for (int i = 0; i < gs->n; i++) {
		struct report_group *g = &gs->g[i];
		qsort(g->v, (size_t)g->n, sizeof *g->v, report_cmp_i64);
		int row = report_row_add(t);
		if (row < 0)
			return br_fail(why, BR_NOMEM, "out of memory");
		if (t->cols[0].kind == RK_DATE)
			report_set_i(t, row, 0, g->sort);
		else if (!report_set_s(t, row, 0, g->key))
			return br_fail(why, BR_NOMEM, "out of memory");
		report_set_i(t, row, 1, g->n);
		report_set_i(t, row, 2, report_percentile(g->v, g->n, 50));
		report_set_i(t, row, 3, report_percentile(g->v, g->n, 90));
		report_set_i(t, row, 4, g->n ? g->v[g->n - 1] : 0);
	}
	return BR_OK;
}

int64_t report_urgency_rank(const char *u)
{
	return strcmp(u, "emergency") == 0 ? 0 : strcmp(u, "urgent") == 0 ? 1 : 2;
}

int64_t report_locality_rank(const struct session *s, const char *code)
{
	int i = config_locality(&s->cfg, code);
	return i < 0 ? 99 : i;
}


/* ---- running one --------------------------------------------------------------------- */

static int progress_cb(void *arg)
{
	const struct report_params *p = arg;
	return p->progress && p->progress(p->ctx) ? 1 : 0;
}

enum br_status report_run(struct session *s, int which, const struct report_params *p,
			  struct report **out, char **why)
{
	*out = NULL;
	if (which < 0 || which >= REPORT_COUNT)
		return br_fail(why, BR_USAGE, "no such report");
	if (!report_may(s, which)) {
		char what[48];
		snprintf(what, sizeof what, "report %s", report_code(which));
		return session_require_cap(s, reports[which].officers ? CAP_REPORTS_QUEUE : CAP_REPORTS, what, why);
	}
	enum br_status st = report_params_check(s, p, why);
	if (st != BR_OK)
		return st;
	struct report *r = calloc(1, sizeof *r);
	if (!r)
		return br_fail(why, BR_NOMEM, "out of memory");
	r->which = which;
	r->p = *p;
	struct report_ctx x = {.s = s, .r = r};
	date_format(p->from, x.from);
	date_format(p->to + 1, x.tonext);
	date_format(clock_today(), x.today);
	sqlite3 *db = store_db(s->store);
	if (p->progress)
		sqlite3_progress_handler(db, 1000, progress_cb, &r->p);
	static enum br_status (*const run[])(struct report_ctx *, char **) = {
		report_run_waiting, report_run_pickup, report_run_tiers, report_run_spend, report_run_market,
		report_run_handbacks, report_run_declines, report_run_approvals, report_run_respite, report_run_residential,
	};
	/* one snapshot for every table of the report */
	st = store_exec(s->store, "BEGIN", why);
	if (st == BR_OK) {
		st = run[which](&x, why);
		store_exec(s->store, "COMMIT", NULL);
	}
	if (p->progress)
		sqlite3_progress_handler(db, 0, NULL, NULL);
	if (st != BR_OK) {
		report_free(&r);
		return st;
	}
	*out = r;
	return BR_OK;
}
